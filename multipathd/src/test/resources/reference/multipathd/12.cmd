multipathd show paths raw format %d|%D|%t|%T
