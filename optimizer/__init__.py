"""courtplan: cross-execution (交叉执行) planning for civil-judgment enforcement."""
