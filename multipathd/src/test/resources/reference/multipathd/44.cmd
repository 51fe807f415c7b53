multipathd reset map mpatha
