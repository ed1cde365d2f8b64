from quizdl.cli.launch import main

main()
