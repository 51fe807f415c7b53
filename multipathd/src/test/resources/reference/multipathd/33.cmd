multipathd switchgroup map mpatha group 2
