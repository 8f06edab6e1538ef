" procdef: sales processes in .proc files.
autocmd BufRead,BufNewFile *.proc setfiletype procdef
