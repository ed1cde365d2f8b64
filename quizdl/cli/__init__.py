"""Everything that parses arguments, reads keys or renders: typer commands (app.py and one module
per command group), the study, watch and interview screens, and the console entry (launch.py).
The core modules beside this package know nothing of typer or rich."""
