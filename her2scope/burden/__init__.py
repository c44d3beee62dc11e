"""Global burden of HER2 (ERBB2)-mutant NSCLC: how many new patients a year, where.

    lung cancer incidence by country (GLOBOCAN 2022, bundled)
      x NSCLC share x HER2-mutation prevalence [x advanced-stage share, only when supplied]
      -> point estimate (product of the point values) and Monte Carlo 95 % intervals

One concept per module, in the order they are used:

    incidence    the bundled GLOBOCAN 2022 lung rows and the UN M49 region of each country
    assumptions  the cited, dated parameters (data/assumptions_v1.yaml) and per-run overrides
    montecarlo   seeded draws of the parameters (numpy)
    model        the arithmetic: countries, regions, world, and the derivation step by step
    render       JSON and terminal table
    chart        PNG/SVG chart (matplotlib, imported only when a chart is asked for)

``import her2scope.burden`` imports none of them; ``her2scope burden`` imports the modules it
needs when it runs (montecarlo and model: numpy; chart: matplotlib, only for ``--chart``).
"""
