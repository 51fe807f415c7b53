multipathd show config local
