module github.com/nnplay/nnplay

go 1.26
