package dev.bulwark.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Network behaviour in tests: everything arrives, in any order, some of it more than once. */
final class Deliveries {

    private Deliveries() {
    }

    static <T> List<T> shuffledWithDuplicates(List<T> messages, long seed) {
        Random random = new Random(seed);
        List<T> out = new ArrayList<>(messages);
        for (T message : messages) {
            if (random.nextInt(3) == 0) {
                out.add(message);
            }
        }
        Collections.shuffle(out, random);
        return out;
    }
}
