package io.mapperd.sim.iscsi;

import io.mapperd.transport.iscsi.scsi.Cdb;
import io.mapperd.transport.iscsi.scsi.ScsiStatus;

/** RESERVE(6)/RELEASE(6) (SPC-2): one I_T nexus holds the LUN; others get RESERVATION CONFLICT. */
final class Reservations6 {
    private Reservations6() {
    }

    static SimResponse reserve(SimLun lun, String nexus) {
        synchronized (lun) {
            if (lun.reserve6 != null && !lun.reserve6.equals(nexus)) {
                return SimResponse.status(ScsiStatus.RESERVATION_CONFLICT);
            }
            lun.reserve6 = nexus;
            return SimResponse.good();
        }
    }

    static SimResponse release(SimLun lun, String nexus) {
        synchronized (lun) {
            if (nexus.equals(lun.reserve6)) {
                lun.reserve6 = null;
            }
            return SimResponse.good();
        }
    }

    /** Commands another nexus may still send while the LUN is reserved (SPC-2 5.5.1). */
    static boolean allows(SimLun lun, String nexus, int op) {
        synchronized (lun) {
            if (lun.reserve6 == null || lun.reserve6.equals(nexus)) {
                return true;
            }
            return op == Cdb.INQUIRY || op == Cdb.REPORT_LUNS || op == Cdb.RELEASE_6 || op == Cdb.REQUEST_SENSE
                    || op == Cdb.PERSISTENT_RESERVE_IN || op == Cdb.READ_CAPACITY_10 || op == Cdb.SERVICE_ACTION_IN_16
                    || op == Cdb.MAINTENANCE_IN;
        }
    }

    /** A LOGICAL UNIT RESET or target reset releases the reservation. */
    static void reset(SimLun lun) {
        synchronized (lun) {
            lun.reserve6 = null;
        }
    }

    /** The nexus is gone (logout, connection loss): its reservation is released. */
    static void nexusLost(SimLun lun, String nexus) {
        synchronized (lun) {
            if (nexus.equals(lun.reserve6)) {
                lun.reserve6 = null;
            }
        }
    }
}
