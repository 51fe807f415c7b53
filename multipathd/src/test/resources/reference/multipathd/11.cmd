multipathd show paths format %w %i %d %D %p %t %T %s %o %c %C %S %z %M %m %N %n %R %r %a %G %0 %P %I %L
