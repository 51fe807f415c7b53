multipathd switchgroup map mpatha group 1
