multipathd show paths format %d %t %X %%
