package io.smcvertx.transport;

/**
 * SMC was required but cannot be used. The message says what to do (load the module, use
 * another kernel, grant native access); {@link #getCause()} is the failed system call when
 * there was one, an {@link SmcNativeException} carrying syscall and errno.
 */
public class SmcUnavailableException extends IllegalStateException {

    public SmcUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
