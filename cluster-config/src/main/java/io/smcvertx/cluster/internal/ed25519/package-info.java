/** Ed25519 signing and verification for the store's envelopes: OpenSSL's libcrypto through FFM where it is found, else the JDK's. */
package io.smcvertx.cluster.internal.ed25519;
