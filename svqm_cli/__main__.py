from svqm_cli.cli import main

main()
