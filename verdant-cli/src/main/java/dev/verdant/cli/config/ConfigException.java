package dev.verdant.cli.config;

/**
 * A config file that cannot be used: missing, not YAML, a key the command does not have, a value of the wrong
 * type. Its message is one line that names the file and the key; the command line prints it and exits 2.
 */
public final class ConfigException extends IllegalArgumentException {

    ConfigException(String message) {
        super(message);
    }

    ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
