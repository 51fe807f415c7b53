package io.mapperd.dm.io;

/** A run of sectors with the same allocation state, for block status queries (NBD base:allocation). */
public record Extent(long sectors, boolean hole, boolean zero) {
    public static Extent data(long sectors) {
        return new Extent(sectors, false, false);
    }

    public static Extent holeOfZeroes(long sectors) {
        return new Extent(sectors, true, true);
    }
}
