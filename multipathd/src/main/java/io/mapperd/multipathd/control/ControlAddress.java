package io.mapperd.multipathd.control;

import io.netty.channel.unix.DomainSocketAddress;

import java.nio.file.Path;

/**
 * A control socket address: an abstract name written with a leading '@' (as ss and multipathd
 * print it), or a file path. Netty takes an abstract name as a path whose first byte is NUL.
 */
public record ControlAddress(String spec) {
    public static final ControlAddress DEFAULT = new ControlAddress("@/org/kernel/linux/storage/multipathd");

    public ControlAddress {
        if (spec == null || spec.isEmpty() || spec.equals("@")) {
            throw new IllegalArgumentException("control socket address is empty");
        }
        if (spec.length() > 107) {
            throw new IllegalArgumentException("control socket address longer than 107 bytes: " + spec);
        }
    }

    public boolean isAbstract() {
        return spec.startsWith("@");
    }

    public Path path() {
        if (isAbstract()) {
            throw new IllegalStateException(spec + " is an abstract socket name, not a path");
        }
        return Path.of(spec);
    }

    public DomainSocketAddress netty() {
        return new DomainSocketAddress(isAbstract() ? "\0" + spec.substring(1) : spec);
    }

    @Override
    public String toString() {
        return spec;
    }
}
