package voidphone.gossip.identity;

import java.security.KeyPair;
import voidphone.gossip.core.NodeId;

/**
 * This peer's key pair and the identity derived from it: SHA-256 of the public key's DER
 * SubjectPublicKeyInfo (spec section 5).
 */
public record Hostkey(KeyPair keyPair, NodeId id) {}
