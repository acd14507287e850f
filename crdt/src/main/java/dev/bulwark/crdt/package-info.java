/**
 * Convergent replicated data types for social across regions: pure computation, no Spring, no
 * database, no dependency. Every state is an immutable record that maps plainly to JSON, and its
 * {@code merge} is a join (commutative, associative, idempotent), so regions that have received
 * the same operations — in any order, any number of times — hold equal states and equal digests.
 *
 * <pre>{@code
 * Relation r = Relation.between(alice, bob).request(alice, "eu");    // a friendship, requests, blocks
 * Relation there = r.accept(bob, "us");                              // in another region
 * Relation here = r.block(alice, "eu");                              // concurrently
 * here.merge(there).view().friends();                                // false: the block wins
 *
 * Register<String> motto = Register.<String>empty().write("Onward", "eu", now);
 * motto.value(); motto.conflicts(); motto.history();                 // nothing lost silently
 *
 * CausalChat chat = new CausalChat("eu");                            // one per guild and region
 * chat.receive(messageFromUs);                                       // delivered once its causes are
 * chat.shown();                                                      // same order in every region
 *
 * AntiEntropy.toSend(myVersions, theirVersions);                     // keys to ship for repair
 * }</pre>
 */
package dev.bulwark.crdt;
