/** gRPC-Java over SMC: builders on the SMC layer and the server-side view of each call's connection. */
package io.smcvertx.grpc;
