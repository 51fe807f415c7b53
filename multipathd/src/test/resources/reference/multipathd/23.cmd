multipathd show foo
