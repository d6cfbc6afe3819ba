// FenxiaoTesting
