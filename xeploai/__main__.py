from xeploai.cli import main

main()
