multipathd switchgroup map mpatha
