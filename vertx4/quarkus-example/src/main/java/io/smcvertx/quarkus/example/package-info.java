/** A Quarkus REST application on SMC: answers with the mode of the connection each request came on. */
package io.smcvertx.quarkus.example;
