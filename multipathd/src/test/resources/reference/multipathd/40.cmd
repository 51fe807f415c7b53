multipathd suspend map mpatha
