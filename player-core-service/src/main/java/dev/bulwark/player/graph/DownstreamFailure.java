package dev.bulwark.player.graph;

/** A live read that did not answer, naming the downstream service it was for. */
class DownstreamFailure extends RuntimeException {

    private final String downstream;

    DownstreamFailure(String downstream, RuntimeException cause) {
        super(downstream + " did not answer: " + cause.getClass().getSimpleName(), cause);
        this.downstream = downstream;
    }

    String downstream() {
        return downstream;
    }
}
