multipathd resume map mpatha
