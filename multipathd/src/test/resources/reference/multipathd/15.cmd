multipathd show map mpatha format %n %d %S
