from collateral_guard.cli import main

main()
