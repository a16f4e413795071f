from iaclint.cli import main

raise SystemExit(main())
