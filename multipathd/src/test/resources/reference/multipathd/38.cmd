multipathd restorequeueing map mpatha
