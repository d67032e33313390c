"""HTTP API for dashboards (执行指挥中心), thin over `optimizer`."""
