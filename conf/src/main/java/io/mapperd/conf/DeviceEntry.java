package io.mapperd.conf;

import java.util.Objects;

/** A device entry of the hardware table or of a devices section, identified by vendor/product/revision regexes. */
public record DeviceEntry(Settings settings, Origin origin) {

    public String vendor() {
        return settings.string("vendor");
    }

    public String product() {
        return settings.string("product");
    }

    public String revision() {
        return settings.string("revision");
    }

    public String productBlacklist() {
        return settings.string("product_blacklist");
    }

    /** True when both name the same strings (not regexes) for vendor, product and revision. */
    public boolean sameId(DeviceEntry other) {
        return Objects.equals(vendor(), other.vendor()) && Objects.equals(product(), other.product())
                && Objects.equals(revision(), other.revision());
    }

    /**
     * True when this entry's regexes match the path's vendor, product and revision; an attribute
     * the entry or the path leaves unset does not constrain the match.
     */
    public boolean matches(String pathVendor, String pathProduct, String pathRevision) {
        if (pathVendor == null && pathProduct == null && pathRevision == null) {
            return false;
        }
        return part(vendor(), pathVendor) && part(product(), pathProduct) && part(revision(), pathRevision);
    }

    private static boolean part(String regex, String value) {
        return regex == null || value == null || PosixRegex.find(regex, value);
    }

    public DeviceEntry withSettings(Settings s) {
        return new DeviceEntry(s, origin);
    }

    public String id() {
        return vendor() + ":" + product() + ":" + revision();
    }
}
