multipathd reload map mpatha
