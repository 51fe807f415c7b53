multipathd show wildcards
