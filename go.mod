module github.com/kqhq/kq

go 1.26.8
