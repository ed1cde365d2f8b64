from quizdl.launch import main

main()
