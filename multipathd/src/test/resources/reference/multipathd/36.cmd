multipathd disablequeueing map mpatha
