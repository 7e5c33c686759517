/** A gRPC echo service over SMC, its server and client, and the main class that runs either. */
package io.smcvertx.grpc.example;
