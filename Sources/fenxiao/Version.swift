/// The release of this binary (`fenxiao --version`, the `listening` log line).
let fenxiaoVersion = "0.9.0"
