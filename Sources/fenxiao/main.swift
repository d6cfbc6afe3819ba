print("fenxiao")
