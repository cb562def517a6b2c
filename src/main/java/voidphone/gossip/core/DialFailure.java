package voidphone.gossip.core;

/**
 * Why a dial did not lead to a link, decided where the link layer sees it, so that the node can act on
 * the kind without reading the human-readable reason that goes with it.
 */
public enum DialFailure {
  /** Not dialled: this node is at its link limit, or shutting down. */
  LINK_LIMIT,
  /** The TCP connection could not be opened (refused, unreachable, timed out). */
  CONNECT,
  /** The peer proved this node's own identity: the address is this node's. */
  SELF,
  /** The peer proved another identity than the one expected at that address. */
  WRONG_IDENTITY,
  /** Either side refused the other after TLS (ban, proof of work, protocol version). */
  REFUSED,
  /** The handshake failed otherwise: TLS error, timeout, connection closed before the link was up. */
  HANDSHAKE
}
