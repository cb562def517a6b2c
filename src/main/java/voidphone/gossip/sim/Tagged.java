package voidphone.gossip.sim;

/**
 * A broadcast message or timer of a channel other than 0, so that two cores of one node can share
 * its links and its timer queue. Channel 0 travels untagged: the protocol under test pays no
 * extra allocation per message.
 */
record Tagged(int channel, Object content) {
  static Object wrap(int channel, Object content) {
    return channel == 0 ? content : new Tagged(channel, content);
  }
}
