package dev.verdant.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The {@code verdant} program's entry point. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(Cli.run(out, err, args));
    }
}
