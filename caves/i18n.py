"""The console's texts in French (the default) and English.

Query titles and descriptions come from the catalog (bilingual headers); this dictionary holds the rest:
page titles, labels, messages, column headings. ``t(key, lang, **values)`` falls back to French, then to
the key itself, so a missing translation shows up as a readable key rather than an error.
"""

from __future__ import annotations

import re

__all__ = [
    "CODE_COLUMNS",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "code_label",
    "column_label",
    "payment_method",
    "reject_reason",
    "schedule_label",
    "t",
    "weekday",
]

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

TEXTS: dict[str, dict[str, str]] = {
    # --- application shell
    "app.backend.local": {"fr": "Entrepôt local (DuckDB)", "en": "Local warehouse (DuckDB)"},
    "app.backend.snowflake": {"fr": "Snowflake", "en": "Snowflake"},
    "app.backend.sis": {"fr": "Streamlit in Snowflake", "en": "Streamlit in Snowflake"},
    "app.refresh": {"fr": "Rafraîchir les données", "en": "Refresh data"},
    "app.starting": {"fr": "Démarrage de l'entrepôt local…", "en": "Starting the local warehouse…"},
    "app.start_failed": {"fr": "L'entrepôt n'a pas pu démarrer", "en": "The warehouse could not start"},
    # --- the live shop (caves.shop)
    "app.demo": {"fr": "Démo accélérée ×{factor}", "en": "Accelerated demo ×{factor}"},
    "kpi.yesterday_until": {"fr": "Hier jusqu'à {time}", "en": "Yesterday until {time}"},
    "app.simulator_off": {
        "fr": "Simulateur en direct arrêté : l'entrepôt contient d'autres événements.",
        "en": "Live simulator off: the warehouse holds other events.",
    },
    "nav.direction": {"fr": "Direction", "en": "Management"},
    "nav.warehouse": {"fr": "Entrepôt", "en": "Warehouse"},
    "nav.operations": {"fr": "Exploitation", "en": "Operations"},
    "nav.admin": {"fr": "Administration", "en": "Administration"},
    "page.overview": {"fr": "Vue d'ensemble", "en": "Overview"},
    "page.sales": {"fr": "Ventes & produits", "en": "Sales & products"},
    "page.customers": {"fr": "Clients", "en": "Customers"},
    "page.finance": {"fr": "Finance", "en": "Finance"},
    "page.stock": {"fr": "Stock", "en": "Stock"},
    "page.pipeline": {"fr": "Santé du pipeline", "en": "Pipeline health"},
    "page.explorer": {"fr": "Explorateur", "en": "Explorer"},
    "page.admin": {"fr": "Administration", "en": "Administration"},
    # --- common
    "common.empty": {"fr": "Aucune donnée pour le moment.", "en": "No data yet."},
    "common.as_of": {"fr": "Données au {when} (UTC)", "en": "Data as of {when} (UTC)"},
    "common.days": {"fr": "Période (jours)", "en": "Period (days)"},
    "common.query_failed": {"fr": "« {title} » n'a pas pu être calculé.", "en": "“{title}” could not be computed."},
    "common.vs_yesterday": {"fr": "vs hier", "en": "vs yesterday"},
    # --- KPI labels (kpi_today_vs_yesterday METRIC values)
    "kpi.ORDERS": {"fr": "Commandes", "en": "Orders"},
    "kpi.REVENUE": {"fr": "Chiffre d'affaires", "en": "Revenue"},
    "kpi.CUSTOMERS": {"fr": "Clients", "en": "Customers"},
    "kpi.AVG_BASKET": {"fr": "Panier moyen", "en": "Average basket"},
    "kpi.UNITS_SOLD": {"fr": "Bouteilles vendues", "en": "Bottles sold"},
    # --- overview
    "overview.today": {"fr": "Aujourd'hui", "en": "Today"},
    "overview.caption": {
        "fr": "Journée en cours (UTC) comparée à hier jusqu'à la même heure, hors commandes annulées.",
        "en": "Current UTC day so far compared with yesterday up to the same time, cancelled orders excluded.",
    },
    "overview.freshness": {"fr": "Fraîcheur des données", "en": "Data freshness"},
    "overview.last_raw": {"fr": "Dernier événement reçu", "en": "Last event received"},
    "overview.last_prod": {"fr": "Dernière mise à jour production", "en": "Last production update"},
    "overview.caught_up": {"fr": "Production à jour", "en": "Production up to date"},
    "overview.behind": {"fr": "Production en retard", "en": "Production behind"},
    "overview.ago": {"fr": "il y a {duration}", "en": "{duration} ago"},
    "overview.alerts": {"fr": "Alertes", "en": "Alerts"},
    "alert.OUT_OF_STOCK": {"fr": "Ruptures de stock", "en": "Out of stock"},
    "alert.TASK_FAILURES": {"fr": "Tâches en échec", "en": "Failed tasks"},
    "alert.LOW_STOCK": {"fr": "Stocks bas", "en": "Low stock"},
    "alert.REJECTED_EVENTS": {"fr": "Événements rejetés", "en": "Rejected events"},
    "alert.UNPROCESSED_RAW_MESSAGES": {"fr": "Messages en attente", "en": "Messages waiting"},
    # --- sales
    "sales.top": {"fr": "Meilleures ventes", "en": "Top performers"},
    "sales.trends": {"fr": "Tendances et saisonnalité", "en": "Trends and seasonality"},
    "sales.abc": {"fr": "Analyse ABC (Pareto)", "en": "ABC analysis (Pareto)"},
    "sales.abc_summary": {
        "fr": "Classe {cls} : {products} vins, {share} du chiffre d'affaires",
        "en": "Class {cls}: {products} wines, {share} of revenue",
    },
    "sales.declining": {"fr": "Produits en recul", "en": "Declining products"},
    "sales.min_drop": {"fr": "Baisse minimale (%)", "en": "Minimum drop (%)"},
    "sales.cumulative": {"fr": "Part cumulée", "en": "Cumulative share"},
    # --- customers
    "customers.rfm": {"fr": "Segments RFM", "en": "RFM segments"},
    "customers.segment": {"fr": "Segment", "en": "Segment"},
    "customers.all_segments": {"fr": "Tous les segments", "en": "All segments"},
    "customers.customers": {"fr": "Clients", "en": "Customers"},
    "customers.repeat": {"fr": "Clients revenus", "en": "Repeat customers"},
    "customers.repeat_rate": {"fr": "Taux de réachat", "en": "Repeat rate"},
    "customers.orders_per_customer": {"fr": "Commandes par client", "en": "Orders per customer"},
    "customers.days_between": {"fr": "Délai entre commandes", "en": "Days between orders"},
    "customers.vip": {"fr": "VIP", "en": "VIP"},
    "customers.loyal": {"fr": "Fidèles", "en": "Loyal"},
    "customers.inactive": {"fr": "Inactifs", "en": "Inactive"},
    "customers.min_value": {"fr": "Dépense minimale (€)", "en": "Minimum spend (€)"},
    "customers.min_orders": {"fr": "Commandes minimum", "en": "Minimum orders"},
    "customers.inactive_days": {"fr": "Sans commande depuis (jours)", "en": "No order for (days)"},
    # --- stock
    "stock.threshold": {"fr": "Seuil de stock bas (bouteilles)", "en": "Low-stock threshold (bottles)"},
    "stock.alerts": {"fr": "Alertes de stock", "en": "Stock alerts"},
    "stock.low": {"fr": "Stock bas", "en": "Low stock"},
    "stock.out": {"fr": "En rupture", "en": "Out of stock"},
    "stock.forecast": {"fr": "Prévision de rupture", "en": "Stock-out forecast"},
    "stock.forecast_days": {"fr": "Ventes moyennes sur (jours)", "en": "Average sales over (days)"},
    "stock.forecast_horizon": {"fr": "Rupture prévue sous (jours)", "en": "Stock-out within (days)"},
    "stock.history": {"fr": "Historique des mouvements", "en": "Adjustment history"},
    "stock.product_filter": {"fr": "Référence produit", "en": "Product ID"},
    "stock.type_filter": {"fr": "Type de mouvement", "en": "Adjustment type"},
    "stock.turnover": {"fr": "Rotation des stocks", "en": "Stock turnover"},
    "stock.to_prepare": {"fr": "Commandes à préparer", "en": "Orders to prepare"},
    "stock.to_prepare_caption": {
        "fr": "Commandes en attente ou confirmées, pas encore expédiées, les plus anciennes d'abord.",
        "en": "Pending or confirmed orders not shipped yet, oldest first.",
    },
    "stock.kpi.products": {"fr": "Références", "en": "Products"},
    "stock.kpi.units": {"fr": "Bouteilles en stock", "en": "Bottles in stock"},
    "stock.kpi.out": {"fr": "En rupture", "en": "Out of stock"},
    "stock.kpi.low": {"fr": "Sous le seuil", "en": "Below threshold"},
    # --- finance
    "finance.payments": {"fr": "Moyens de paiement", "en": "Payment methods"},
    "finance.basket": {"fr": "Panier par catégorie", "en": "Basket by category"},
    "finance.mom": {"fr": "Mois sur mois", "en": "Month over month"},
    "finance.projection": {"fr": "Projection fin de mois", "en": "Month-end projection"},
    "finance.revenue_mtd": {"fr": "CA du mois", "en": "Revenue month to date"},
    "finance.projected": {"fr": "CA projeté", "en": "Projected revenue"},
    "finance.previous_month": {"fr": "Mois précédent", "en": "Previous month"},
    "finance.projected_delta": {"fr": "Projection vs mois précédent", "en": "Projection vs last month"},
    "finance.months": {"fr": "Nombre de mois", "en": "Number of months"},
    # --- pipeline health
    "pipeline.graph": {"fr": "Graphe des tâches", "en": "Task graph"},
    "pipeline.graph_legend": {
        "fr": "Vert : dernière exécution réussie · rouge : échec · gris : suspendue · bleu : en cours · "
        "une exécution ignorée n'avait rien à traiter.",
        "en": "Green: last run succeeded · red: failed · grey: suspended · blue: running · "
        "a skipped run had nothing to do.",
    },
    "pipeline.latency": {"fr": "Latence de bout en bout", "en": "End-to-end latency"},
    "pipeline.latency_caption": {
        "fr": "Par étape, sur les {hours} dernières heures ; seuils : alerte {warning}, périmé {stale}.",
        "en": "Per layer, over the last {hours} hours; thresholds: warning {warning}, stale {stale}.",
    },
    "pipeline.current_lag": {"fr": "Retard actuel", "en": "Current lag"},
    "pipeline.history": {"fr": "Historique des exécutions", "en": "Run history"},
    "pipeline.show_skipped": {"fr": "Afficher les exécutions ignorées", "en": "Show skipped runs"},
    "pipeline.summary": {"fr": "Par tâche", "en": "Per task"},
    "pipeline.graphs_current": {
        "fr": "Graphes en cours et prochaines exécutions",
        "en": "Running graphs and next runs",
    },
    "pipeline.graph_runs": {"fr": "Exécutions des graphes (dernière heure)", "en": "Graph runs (last hour)"},
    "pipeline.streams": {"fr": "Streams", "en": "Streams"},
    "pipeline.reconciliation": {"fr": "Réconciliation", "en": "Reconciliation"},
    "pipeline.recon_raw": {"fr": "Messages RAW", "en": "RAW messages"},
    "pipeline.recon_orders": {"fr": "Commandes en staging", "en": "Staged orders"},
    "pipeline.recon_adjustments": {"fr": "Mouvements en staging", "en": "Staged adjustments"},
    "pipeline.recon_rejected": {"fr": "Rejetés", "en": "Rejected"},
    "pipeline.recon_unaccounted": {"fr": "Non répartis", "en": "Unaccounted"},
    "pipeline.recon_production": {
        "fr": "En production : {orders} commandes (une ligne par commande, dernier état), {adjustments} mouvements.",
        "en": "In production: {orders} orders (one row per order, latest state), {adjustments} adjustments.",
    },
    "pipeline.recon_window": {
        "fr": "RAW = commandes + mouvements + rejetés, pour les messages reçus depuis le {when}",
        "en": "RAW = orders + adjustments + rejected, for the messages received since {when}",
    },
    "pipeline.rejected": {"fr": "Événements rejetés par motif", "en": "Rejected events by reason"},
    "pipeline.row_counts": {"fr": "Volumétrie des tables", "en": "Table row counts"},
    "pipeline.hours": {"fr": "Fenêtre (heures)", "en": "Window (hours)"},
    "pipeline.refresh_every": {
        "fr": "Actualisation automatique toutes les {seconds} s.",
        "en": "Refreshes itself every {seconds} s.",
    },
    "grade.ok": {"fr": "OK", "en": "OK"},
    "grade.warning": {"fr": "Alerte", "en": "Warning"},
    "grade.stale": {"fr": "Périmé", "en": "Stale"},
    "grade.unknown": {"fr": "Inconnu", "en": "Unknown"},
    "state.started": {"fr": "active", "en": "started"},
    "state.suspended": {"fr": "suspendue", "en": "suspended"},
    "layer.source_to_raw": {"fr": "Source → RAW", "en": "Source → RAW"},
    "layer.raw_to_staging": {"fr": "RAW → STAGING", "en": "RAW → STAGING"},
    "layer.staging_to_production": {"fr": "STAGING → PRODUCTION", "en": "STAGING → PRODUCTION"},
    "layer.raw_to_production": {"fr": "RAW → PRODUCTION", "en": "RAW → PRODUCTION"},
    "flow.orders": {"fr": "commandes", "en": "orders"},
    "flow.inventory": {"fr": "stock", "en": "inventory"},
    # --- admin
    "admin.denied": {
        "fr": "Cette page est réservée aux administrateurs ({user} n'en fait pas partie).",
        "en": "This page is for administrators ({user} is not one).",
    },
    "admin.user": {"fr": "Connecté en tant que {user}", "en": "Signed in as {user}"},
    "admin.tasks": {"fr": "Tâches", "en": "Tasks"},
    "admin.actions": {"fr": "Actions", "en": "Actions"},
    "admin.deploy": {"fr": "Déployer", "en": "Deploy"},
    "admin.deploy_help": {
        "fr": "Applique deploy_sql/ sans perte : tables et streams conservés, tâches remplacées.",
        "en": "Applies deploy_sql/ without loss: tables and streams kept, tasks replaced.",
    },
    "admin.preview": {"fr": "Aperçu (dry run)", "en": "Preview (dry run)"},
    "admin.nothing_to_deploy": {"fr": "Rien à appliquer.", "en": "Nothing to apply."},
    "admin.graph": {"fr": "Graphe des tâches", "en": "Task graph"},
    "admin.graph_help": {
        "fr": "Suspendre : racines d'abord, puis les enfants. Reprendre : enfants d'abord, racines en dernier.",
        "en": "Suspend: roots first, then the children. Resume: children first, roots last.",
    },
    "admin.run": {"fr": "Exécution manuelle", "en": "Manual run"},
    "admin.suspend_all": {"fr": "Suspendre tout le graphe", "en": "Suspend the whole graph"},
    "admin.resume_all": {"fr": "Reprendre tout le graphe", "en": "Resume the whole graph"},
    "admin.execute": {"fr": "Exécuter maintenant", "en": "Execute now"},
    "admin.retry": {"fr": "Relancer le dernier échec", "en": "Retry the last failure"},
    "admin.retention": {"fr": "Purge de rétention", "en": "Retention clean-up"},
    "admin.retention_help": {
        "fr": "Purge des données traitées : RAW après 30 jours, STAGING après 7, rejets après 90. "
        "PRODUCTION et le journal d'audit ne sont jamais purgés.",
        "en": "Purges processed data: RAW after 30 days, STAGING after 7, rejected events after 90. "
        "PRODUCTION and the audit log are never purged.",
    },
    "admin.root": {"fr": "Graphe (tâche racine)", "en": "Graph (root task)"},
    "admin.confirm_title": {"fr": "Confirmer l'action", "en": "Confirm the action"},
    "admin.confirm_intro": {
        "fr": "Les instructions suivantes seront exécutées, dans cet ordre :",
        "en": "These statements will run, in this order:",
    },
    "admin.confirm": {"fr": "Confirmer", "en": "Confirm"},
    "admin.cancel": {"fr": "Annuler", "en": "Cancel"},
    "admin.succeeded": {"fr": "« {action} » terminé.", "en": "“{action}” done."},
    "admin.failed": {"fr": "« {action} » a échoué", "en": "“{action}” failed"},
    "admin.root_started": {
        "fr": "Son graphe tourne : Snowflake ne change une tâche enfant que racine suspendue. Suspendez ou reprenez "
        "tout le graphe depuis sa racine {root} (la reprise repart des enfants, racine en dernier), ou suspendez "
        "{root}, agissez sur cette tâche, puis reprenez {root}.",
        "en": "Its graph is running: Snowflake changes a child task only while its root is suspended. Suspend or "
        "resume the whole graph from its root {root} (resuming starts with the children, the root last), or "
        "suspend {root}, act on this task, then resume {root}.",
    },
    "admin.audit": {"fr": "Journal d'audit", "en": "Audit log"},
    "action.deploy": {"fr": "Déploiement", "en": "Deploy"},
    "action.suspend": {"fr": "Suspension du graphe", "en": "Suspend graph"},
    "action.resume": {"fr": "Reprise du graphe", "en": "Resume graph"},
    "action.execute": {"fr": "Exécution immédiate", "en": "Execute now"},
    "action.retry_last": {"fr": "Relance du dernier échec", "en": "Retry last failure"},
    "action.retention": {"fr": "Purge de rétention", "en": "Retention clean-up"},
    # --- explorer
    "explorer.section": {"fr": "Rubrique", "en": "Section"},
    "explorer.query": {"fr": "Requête", "en": "Query"},
    "explorer.no_parameters": {"fr": "Cette requête n'a pas de paramètre.", "en": "This query takes no parameter."},
    "explorer.run": {"fr": "Exécuter", "en": "Run"},
    "explorer.download": {"fr": "Télécharger en CSV", "en": "Download CSV"},
    "explorer.sql": {"fr": "SQL exécuté", "en": "SQL run"},
    "explorer.rows": {"fr": "{count} lignes", "en": "{count} rows"},
    "explorer.one_row": {"fr": "1 ligne", "en": "1 row"},
    "explorer.bad_parameter": {"fr": "Paramètre invalide", "en": "Invalid parameter"},
    "section.01_kpi": {"fr": "Indicateurs", "en": "KPIs"},
    "section.02_top": {"fr": "Classements", "en": "Top lists"},
    "section.03_trends": {"fr": "Tendances", "en": "Trends"},
    "section.04_customers": {"fr": "Clients", "en": "Customers"},
    "section.05_inventory": {"fr": "Stock", "en": "Inventory"},
    "section.06_finance": {"fr": "Finance", "en": "Finance"},
    "section.07_product_performance": {"fr": "Performance produits", "en": "Product performance"},
    "section.08_monitoring": {"fr": "Supervision", "en": "Monitoring"},
    "section.09_views": {"fr": "Vues", "en": "Views"},
    "section.10_examples": {"fr": "Exemples", "en": "Examples"},
    # --- trust (issue #13, app layer): sign-in, parameter errors, start-up errors
    "auth.login": {"fr": "Se connecter", "en": "Sign in"},
    "auth.logout": {"fr": "Se déconnecter", "en": "Sign out"},
    "auth.signed_in": {"fr": "Connecté : {user}", "en": "Signed in: {user}"},
    "admin.anonymous": {
        "fr": "Cette page est réservée aux administrateurs. Vous n'êtes pas identifié : connectez-vous "
        "(ou ouvrez la console sur la machine qui la sert).",
        "en": "This page is for administrators. You are not signed in: sign in "
        "(or open the console on the machine that serves it).",
    },
    "param.invalid": {
        "fr": "« {label} » ({name}) : valeur « {value} » refusée.",
        "en": "“{label}” ({name}): value “{value}” refused.",
    },
    "param.type": {
        "fr": "« {label} » ({name}) : « {value} » n'est pas {expected}.",
        "en": "“{label}” ({name}): “{value}” is not {expected}.",
    },
    "param.range": {
        "fr": "« {label} » ({name}) : « {value} » est hors des valeurs possibles.",
        "en": "“{label}” ({name}): “{value}” is out of the possible range.",
    },
    "param.min": {
        "fr": "« {label} » ({name}) : {value} est inférieur au minimum ({limit}).",
        "en": "“{label}” ({name}): {value} is below the minimum ({limit}).",
    },
    "param.max": {
        "fr": "« {label} » ({name}) : {value} est supérieur au maximum ({limit}).",
        "en": "“{label}” ({name}): {value} is above the maximum ({limit}).",
    },
    "param.too_short": {
        "fr": "« {label} » ({name}) : au moins {limit} caractères attendus.",
        "en": "“{label}” ({name}): at least {limit} characters expected.",
    },
    "param.too_long": {
        "fr": "« {label} » ({name}) : au plus {limit} caractères.",
        "en": "“{label}” ({name}): at most {limit} characters.",
    },
    "param.unknown": {"fr": "Paramètre inconnu : « {name} ».", "en": "Unknown parameter: “{name}”."},
    "param.expected.integer": {"fr": "un nombre entier", "en": "a whole number"},
    "param.expected.number": {"fr": "un nombre", "en": "a number"},
    "param.expected.date": {
        "fr": "une date (AAAA-MM-JJ, « today » ou « today-N »)",
        "en": "a date (YYYY-MM-DD, “today” or “today-N”)",
    },
    "param.expected.boolean": {"fr": "vrai ou faux", "en": "true or false"},
    "param.expected.enum": {"fr": "l'une des valeurs {choices}", "en": "one of {choices}"},
    "param.expected.string": {"fr": "un texte", "en": "a text"},
    "startup.title": {"fr": "La console n'a pas pu démarrer", "en": "The console could not start"},
    "startup.local": {
        "fr": "L'entrepôt local {path} n'a pas pu être ouvert. Vérifiez que le chemin (CAVES_DB) désigne un "
        "fichier DuckDB accessible en écriture, qu'aucun autre programme ne le verrouille, et sinon déplacez-le "
        "pour en créer un neuf.",
        "en": "The local warehouse {path} could not be opened. Check that the path (CAVES_DB) is a writable "
        "DuckDB file that no other program holds, or move it aside to start a new one.",
    },
    "startup.snowflake_unreachable": {
        "fr": "Snowflake est injoignable ({where}). Vérifiez `account` (ou `host`/`port`) dans "
        "[connections.snowflake] de .streamlit/secrets.toml, le réseau, le proxy et le pare-feu.",
        "en": "Snowflake cannot be reached ({where}). Check `account` (or `host`/`port`) in "
        "[connections.snowflake] of .streamlit/secrets.toml, the network, the proxy and the firewall.",
    },
    "startup.snowflake_auth": {
        "fr": "Snowflake a refusé la connexion ({where}). Vérifiez `user`, la clé (`private_key_file`, sa "
        "phrase secrète) ou le mot de passe, et le rôle dans .streamlit/secrets.toml.",
        "en": "Snowflake refused the sign-in ({where}). Check `user`, the key (`private_key_file`, its "
        "passphrase) or the password, and the role in .streamlit/secrets.toml.",
    },
    "startup.snowflake_config": {
        "fr": "La connexion Snowflake est mal configurée. Vérifiez la table [connections.snowflake] de "
        ".streamlit/secrets.toml (voir .streamlit/secrets.toml.example).",
        "en": "The Snowflake connection is misconfigured. Check the [connections.snowflake] table of "
        ".streamlit/secrets.toml (see .streamlit/secrets.toml.example).",
    },
    "startup.snowflake": {
        "fr": "La connexion à Snowflake a échoué ({where}). Vérifiez [connections.snowflake] dans "
        ".streamlit/secrets.toml et l'état du compte.",
        "en": "Connecting to Snowflake failed ({where}). Check [connections.snowflake] in "
        ".streamlit/secrets.toml and the account's status.",
    },
    "startup.sis": {
        "fr": "Aucune session Snowflake active. Dans Streamlit in Snowflake, vérifiez le rôle propriétaire de "
        "l'application et son entrepôt ; ailleurs, retirez CAVES_BACKEND=sis.",
        "en": "No active Snowflake session. In Streamlit in Snowflake, check the app's owner role and its "
        "warehouse; elsewhere, unset CAVES_BACKEND=sis.",
    },
    "startup.settings": {
        "fr": "Les réglages sont invalides. Vérifiez config/caves.yaml (ou $CAVES_CONFIG) et CAVES_BACKEND.",
        "en": "The settings are invalid. Check config/caves.yaml (or $CAVES_CONFIG) and CAVES_BACKEND.",
    },
    "startup.detail": {"fr": "Détail : {detail}", "en": "Detail: {detail}"},
    # --- cost of the pipeline (components/cost.py, caves/services/cost_service.py; issue 18)
    "cost.title": {"fr": "Coût Snowflake du pipeline", "en": "Snowflake cost of the pipeline"},
    "cost.days": {"fr": "Jours d'historique", "en": "Days of history"},
    "cost.per_day": {"fr": "Coût par jour", "en": "Cost per day"},
    "cost.credits_per_day": {"fr": "Crédits par jour", "en": "Credits per day"},
    "cost.skipped_share": {"fr": "Exécutions sautées", "en": "Skipped runs"},
    "cost.skipped_help": {
        "fr": "Condition WHEN fausse (aucune donnée en attente) : aucun entrepôt démarré, aucun crédit de calcul.",
        "en": "WHEN condition false (no pending data): no warehouse started, no compute credit.",
    },
    "cost.work_runs": {"fr": "Exécutions avec travail", "en": "Runs that did work"},
    "cost.model.serverless": {"fr": "tâches serverless", "en": "serverless tasks"},
    "cost.model.warehouse": {"fr": "entrepôt géré {size}", "en": "user-managed {size} warehouse"},
    "cost.source.estimate": {
        "fr": (
            "Estimation ({model}) d'après TASK_HISTORY, moyenne des {days} derniers jours (historique : {hours} h), "
            "à {price} le crédit."
        ),
        "en": (
            "Estimate ({model}) from TASK_HISTORY, mean of the last {days} days (history: {hours} h), "
            "at {price} a credit."
        ),
    },
    "cost.source.billed": {
        "fr": "Crédits facturés (SERVERLESS_TASK_HISTORY), moyenne des {days} derniers jours, à {price} le crédit.",
        "en": "Billed credits (SERVERLESS_TASK_HISTORY), mean of the last {days} days, at {price} a credit.",
    },
    "cost.no_work": {
        "fr": "Aucune exécution n'a travaillé sur la période : le coût de calcul est nul.",
        "en": "No run did any work in the period: the compute cost is zero.",
    },
    "cost.by_day": {"fr": "Coût par jour", "en": "Cost per day"},
    "cost.by_task": {"fr": "Coût par tâche", "en": "Cost per task"},
    "cost.by_graph": {"fr": "Coût par graphe", "en": "Cost per graph"},
    "cost.billed": {"fr": "Crédits facturés par tâche et par jour", "en": "Billed credits per task and day"},
    "cost.what_if": {"fr": "Et si…", "en": "What if…"},
    "cost.what_if.kind": {"fr": "Changer", "en": "Change"},
    "cost.what_if.value": {"fr": "Valeur", "en": "Value"},
    "cost.what_if.schedule": {"fr": "la fréquence des tâches racines", "en": "the root tasks' schedule"},
    "cost.what_if.size": {"fr": "la taille de calcul", "en": "the compute size"},
    "cost.what_if.model": {"fr": "le modèle de calcul", "en": "the compute model"},
    "cost.what_if.auto_suspend": {"fr": "l'arrêt automatique (s)", "en": "the auto-suspend (s)"},
    "cost.what_if.result": {"fr": "Coût par jour avec {change}", "en": "Cost per day with {change}"},
    "cost.what_if.saving": {"fr": "Économie : {amount} par jour", "en": "Saving: {amount} a day"},
    "cost.what_if.extra": {"fr": "Surcoût : {amount} par jour", "en": "Extra cost: {amount} a day"},
    "cost.what_if.assumptions": {
        "fr": (
            "Calculé sur le même historique. Fréquence : les exécutions d'un intervalle n'en font qu'une, qui fait "
            "le travail de toutes (travail proportionnel aux changements) et ne paie qu'une fois le coût fixe d'une "
            "exécution. Taille : chaque taille double la puissance et le tarif horaire ; la part parallélisable "
            "d'une exécution ({parallel}) est divisée par deux à chaque taille. Entrepôt : facturé à la seconde, "
            "60 s minimum à chaque reprise, jusqu'à l'arrêt automatique."
        ),
        "en": (
            "Computed on the same history. Schedule: the runs of one interval become one run doing the work of "
            "all (work proportional to the changes) and paying a run's fixed cost once. Size: each size doubles "
            "the power and the hourly rate; the parallelisable share of a run ({parallel}) halves per size. "
            "Warehouse: billed per second, 60 s minimum at each resume, until it auto-suspends."
        ),
    },
    "cost.col.day": {"fr": "Jour", "en": "Day"},
    "cost.col.task": {"fr": "Tâche", "en": "Task"},
    "cost.col.graph": {"fr": "Graphe", "en": "Graph"},
    "cost.col.runs": {"fr": "Exécutions", "en": "Runs"},
    "cost.col.work_runs": {"fr": "Avec travail", "en": "Did work"},
    "cost.col.skipped_pct": {"fr": "Sautées", "en": "Skipped"},
    "cost.col.busy": {"fr": "Temps de travail", "en": "Work time"},
    "cost.col.credits": {"fr": "Crédits", "en": "Credits"},
    "cost.col.cost": {"fr": "Coût", "en": "Cost"},
    # --- console #12 (French-first, readable everywhere): labels of the codes users see, ops details
    "stock.last_adjustment": {
        "fr": "Dernier mouvement de stock : {when} (UTC).",
        "en": "Last stock adjustment: {when} (UTC).",
    },
    "overview.catching_up": {"fr": "Production en cours de mise à jour", "en": "Production catching up"},
    "pipeline.latency_caption_one": {
        "fr": "Par étape, sur la dernière heure ; seuils : alerte {warning}, périmé {stale}.",
        "en": "Per layer, over the last hour; thresholds: warning {warning}, stale {stale}.",
    },
    "pipeline.latency_detail_caption": {
        "fr": "Source → RAW mesure le délai du producteur (horodatage de l'événement → arrivée) : un historique "
        "rejoué arrive des jours après ses événements, ce délai n'est pas noté.",
        "en": "Source → RAW is the producer's delay (event time → arrival): a replayed history arrives days after "
        "its events, so this delay is not graded.",
    },
    "pipeline.backlog_caption": {
        "fr": "Changements en attente dans chaque stream (lus sans avancer son offset) et âge du plus ancien.",
        "en": "Changes waiting in each stream (read without moving its offset) and the age of the oldest.",
    },
    "pipeline.recon_in_flight": {"fr": "En transit", "en": "In flight"},
    "pipeline.recon_in_flight_help": {
        "fr": "Messages arrivés il y a moins de {seconds} : les tâches ne les ont pas encore répartis.",
        "en": "Messages that arrived less than {seconds} ago: the tasks have not routed them yet.",
    },
    "pipeline.recon_unaccounted_help": {
        "fr": "Messages arrivés il y a plus de {seconds} et absents de STAGING comme des rejets : anormal.",
        "en": "Messages older than {seconds} found neither in STAGING nor among the rejects: abnormal.",
    },
    "run.SUCCEEDED": {"fr": "Réussie", "en": "Succeeded"},
    "run.FAILED": {"fr": "Échec", "en": "Failed"},
    "run.FAILED_AND_AUTO_SUSPENDED": {"fr": "Échec, suspendue", "en": "Failed, suspended"},
    "run.CANCELLED": {"fr": "Annulée", "en": "Cancelled"},
    "run.SKIPPED": {"fr": "Ignorée", "en": "Skipped"},
    "run.EXECUTING": {"fr": "En cours", "en": "Running"},
    "run.SCHEDULED": {"fr": "Planifiée", "en": "Scheduled"},
    "origin.SCHEDULE": {"fr": "Planification", "en": "Schedule"},
    "origin.EXECUTE_TASK": {"fr": "Exécution manuelle", "en": "Manual execution"},
    "origin.MANUAL RETRY": {"fr": "Reprise manuelle", "en": "Manual retry"},
    "origin.AUTOMATIC RETRY": {"fr": "Reprise automatique", "en": "Automatic retry"},
    "origin.TRIGGER": {"fr": "Déclenchement", "en": "Trigger"},
    "segment.Champions": {"fr": "Champions", "en": "Champions"},
    "segment.Loyal": {"fr": "Fidèles", "en": "Loyal"},
    "segment.New": {"fr": "Nouveaux", "en": "New"},
    "segment.Promising": {"fr": "Prometteurs", "en": "Promising"},
    "segment.Can't lose": {"fr": "À ne pas perdre", "en": "Can't lose"},
    "segment.At risk": {"fr": "À risque", "en": "At risk"},
    "segment.Hibernating": {"fr": "En sommeil", "en": "Hibernating"},
    "segment.Need attention": {"fr": "À surveiller", "en": "Need attention"},
    "outcome.succeeded": {"fr": "Réussie", "en": "Succeeded"},
    "outcome.failed": {"fr": "Échec", "en": "Failed"},
    "outcome.refused": {"fr": "Refusée", "en": "Refused"},
    "target.graph": {"fr": "tout le graphe", "en": "whole graph"},
    "adjustment.all": {"fr": "Tous", "en": "All"},
    "adjustment.restock": {"fr": "Réassort", "en": "Restock"},
    "adjustment.sale": {"fr": "Vente", "en": "Sale"},
    "adjustment.return": {"fr": "Retour", "en": "Return"},
    "adjustment.breakage": {"fr": "Casse", "en": "Breakage"},
    "adjustment.correction": {"fr": "Correction", "en": "Correction"},
    "order_status.pending": {"fr": "En attente", "en": "Pending"},
    "order_status.confirmed": {"fr": "Confirmée", "en": "Confirmed"},
    "order_status.shipped": {"fr": "Expédiée", "en": "Shipped"},
    "order_status.delivered": {"fr": "Livrée", "en": "Delivered"},
    "order_status.cancelled": {"fr": "Annulée", "en": "Cancelled"},
    "event_type.order": {"fr": "Commande", "en": "Order"},
    "event_type.inventory_adjustment": {"fr": "Mouvement de stock", "en": "Stock adjustment"},
    "category.Rouge": {"fr": "Rouge", "en": "Red"},
    "category.Blanc": {"fr": "Blanc", "en": "White"},
    "category.Rosé": {"fr": "Rosé", "en": "Rosé"},
    "category.Champagne": {"fr": "Champagne", "en": "Champagne"},
    "category.Effervescent": {"fr": "Effervescent", "en": "Sparkling"},
    "category.Liquoreux": {"fr": "Liquoreux", "en": "Sweet"},
    "category.Spiritueux": {"fr": "Spiritueux", "en": "Spirits"},
    "task_error.Conditional expression for task evaluated to false.": {
        "fr": "Rien à traiter (WHEN faux)",
        "en": "Nothing to do (WHEN false)",
    },
    "suspended.USER_SUSPENDED": {"fr": "Suspendue par un utilisateur", "en": "Suspended by a user"},
    "suspended.SUSPENDED_DUE_TO_ERRORS": {"fr": "Suspendue après des échecs", "en": "Suspended after failures"},
    # --- alerts (issue 17: deploy_sql/90_alerts.sql, caves/services/alerts_service.py)
    "page.alerts": {"fr": "Alertes", "en": "Alerts"},
    "alerts.badge": {"fr": "{count} alerte(s) ouverte(s)", "en": "{count} open alert(s)"},
    "alerts.badge_none": {"fr": "Aucune alerte ouverte", "en": "No open alert"},
    "alerts.intro": {
        "fr": "Les alertes Snowflake du pipeline vérifient les tâches, la latence, les streams, la réconciliation, "
        "les rejets, le stock et la qualité des données. Une alerte reste ouverte tant que son contrôle la trouve "
        "(une tâche en échec : jusqu'à son acquittement).",
        "en": "The pipeline's Snowflake alerts check the tasks, latency, streams, reconciliation, rejects, stock and "
        "data quality. An alert stays open while its check keeps finding it (a failed task: until acknowledged).",
    },
    "alerts.open": {"fr": "Alertes ouvertes", "en": "Open alerts"},
    "alerts.none_open": {"fr": "Aucune alerte ouverte : tout va bien.", "en": "No open alert: all is well."},
    "alerts.severity.critical": {"fr": "Critiques", "en": "Critical"},
    "alerts.severity.warning": {"fr": "Avertissements", "en": "Warnings"},
    "alerts.severity.info": {"fr": "Informations", "en": "Information"},
    "alerts.item_title": {"fr": "{check} — {alert} · {count} ligne(s)", "en": "{check} — {alert} · {count} row(s)"},
    "alerts.since": {
        "fr": "Ouverte depuis {since}, vue pour la dernière fois {last}",
        "en": "Open since {since}, last seen {last}",
    },
    "alerts.rows": {"fr": "Lignes en cause", "en": "Rows behind it"},
    "alerts.table_checked": {"fr": "Table {table}", "en": "Table {table}"},
    "alerts.ack": {"fr": "Acquitter", "en": "Acknowledge"},
    "alerts.ack_note": {"fr": "Note (facultative)", "en": "Note (optional)"},
    "alerts.ack_done": {"fr": "Alerte acquittée (journal d'audit).", "en": "Alert acknowledged (audit log)."},
    "alerts.ack_failed": {"fr": "L'acquittement a échoué", "en": "The acknowledgement failed"},
    "alerts.ack_admins": {
        "fr": "Seul un administrateur peut acquitter une alerte.",
        "en": "Only an administrator can acknowledge an alert.",
    },
    "alerts.history": {"fr": "Historique des exécutions", "en": "Run history"},
    "alerts.definitions": {"fr": "Alertes déployées", "en": "Deployed alerts"},
    "alerts.acks": {"fr": "Acquittements", "en": "Acknowledgements"},
    "alerts.outbox": {"fr": "Notifications (boîte d'envoi locale)", "en": "Notifications (local outbox)"},
    "alerts.outbox_help": {
        "fr": "En local, les notifications ne sont pas envoyées : elles sont enregistrées ici (les 10 dernières, "
        "telles qu'elles partiraient).",
        "en": "Locally, notifications are not sent: they are recorded here (the latest 10, as they would be sent).",
    },
    "alerts.outbox_through": {
        "fr": "Intégration de notification : {integration}.",
        "en": "Notification integration: {integration}.",
    },
    "alerts.unavailable": {"fr": "Les alertes n'ont pas pu être lues", "en": "The alerts could not be read"},
    "admin.alerts": {"fr": "Alertes", "en": "Alerts"},
    "admin.alerts_help": {
        "fr": "Suspendre, reprendre ou exécuter une alerte tout de suite (comme les tâches).",
        "en": "Suspend, resume or execute an alert now (like the tasks).",
    },
    "admin.alert": {"fr": "Alerte", "en": "Alert"},
    "admin.alert_suspend": {"fr": "Suspendre", "en": "Suspend"},
    "admin.alert_resume": {"fr": "Reprendre", "en": "Resume"},
    "admin.alert_execute": {"fr": "Exécuter", "en": "Execute"},
    "action.alert_suspend": {"fr": "Suspension d'alerte", "en": "Suspend alert"},
    "action.alert_resume": {"fr": "Reprise d'alerte", "en": "Resume alert"},
    "action.alert_execute": {"fr": "Exécution d'alerte", "en": "Execute alert"},
    "action.acknowledge": {"fr": "Acquittement d'alerte", "en": "Acknowledge alert"},
    "run.TRIGGERED": {"fr": "Déclenchée", "en": "Triggered"},
    "run.CONDITION_FALSE": {"fr": "Condition fausse", "en": "Condition false"},
    "run.CONDITION_FAILED": {"fr": "Condition en échec", "en": "Condition failed"},
    "run.ACTION_FAILED": {"fr": "Action en échec", "en": "Action failed"},
    "alert.ALERT_TASK_FAILURES": {"fr": "Tâches en échec", "en": "Task failures"},
    "alert.ALERT_PIPELINE_LATENCY": {"fr": "Latence du pipeline", "en": "Pipeline latency"},
    "alert.ALERT_STREAM_BACKLOG": {"fr": "Retard des streams", "en": "Stream backlog"},
    "alert.ALERT_RECONCILIATION": {"fr": "Réconciliation", "en": "Reconciliation"},
    "alert.ALERT_REJECTED_RATE": {"fr": "Taux de rejets", "en": "Rejected rate"},
    "alert.ALERT_STOCKOUT": {"fr": "Ruptures de stock", "en": "Stock-outs"},
    "alert.ALERT_DATA_QUALITY": {"fr": "Qualité des données", "en": "Data quality"},
    "check.TASK_FAILED": {"fr": "Tâche en échec", "en": "Task failed"},
    "check.TASK_AUTO_SUSPENDED": {"fr": "Tâche suspendue après échecs", "en": "Task auto-suspended"},
    "check.LATENCY_STALE": {"fr": "Pipeline périmé", "en": "Pipeline stale"},
    "check.STREAM_BACKLOG": {"fr": "Stream en retard", "en": "Stream backlog"},
    "check.RECON_UNACCOUNTED": {"fr": "Messages non répartis", "en": "Unaccounted messages"},
    "check.REJECTED_RATE": {"fr": "Trop de rejets", "en": "Too many rejects"},
    "check.STOCK_OUT": {"fr": "Vin en rupture", "en": "Wine out of stock"},
    "check.STOCKOUT_FORECAST": {"fr": "Rupture prévue, sans réassort", "en": "Running out, no restock"},
    "check.DQ_TOTAL_MISMATCH": {"fr": "Total ≠ prix × quantité", "en": "Total ≠ price × quantity"},
    "check.DQ_NEGATIVE_STOCK": {"fr": "Stock négatif", "en": "Negative stock"},
    "check.DQ_UNKNOWN_PRODUCT": {"fr": "Commande d'un produit inconnu", "en": "Order for an unknown product"},
    "check.DQ_FUTURE_DATE": {"fr": "Date dans le futur", "en": "Date in the future"},
    "check.DQ_NULL_KEY": {"fr": "Clé vide", "en": "Null key"},
    "check.DQ_DUPLICATE_KEY": {"fr": "Clé en double", "en": "Duplicate key"},
    "check.DQ_FRESHNESS": {"fr": "Table pas fraîche", "en": "Table not fresh"},
    "severity.critical": {"fr": "Critique", "en": "Critical"},
    "severity.warning": {"fr": "Avertissement", "en": "Warning"},
    "severity.info": {"fr": "Information", "en": "Information"},
    "alert_category.pipeline": {"fr": "Pipeline", "en": "Pipeline"},
    "alert_category.business": {"fr": "Métier", "en": "Business"},
    "alert_category.data_quality": {"fr": "Qualité des données", "en": "Data quality"},
    "alert_kind.state": {"fr": "État (ouverte tant qu'elle dure)", "en": "State (open while it lasts)"},
    "alert_kind.event": {"fr": "Événement (ouverte jusqu'à acquittement)", "en": "Event (open until acknowledged)"},
    "origin.EXECUTE ALERT": {"fr": "Exécution manuelle", "en": "Manual execution"},
    "alert_help.ALERT_TASK_FAILURES": {
        "fr": "Tâche en échec ou suspendue depuis le dernier contrôle",
        "en": "A task failed or was suspended since the last check",
    },
    "alert_help.ALERT_PIPELINE_LATENCY": {
        "fr": "Pipeline en retard au-delà du seuil « périmé »",
        "en": "Pipeline later than the stale threshold",
    },
    "alert_help.ALERT_STREAM_BACKLOG": {
        "fr": "Changements en attente depuis plus de 10 min",
        "en": "Changes waiting for over 10 min",
    },
    "alert_help.ALERT_RECONCILIATION": {
        "fr": "Messages RAW ni en STAGING ni rejetés",
        "en": "RAW messages neither staged nor rejected",
    },
    "alert_help.ALERT_REJECTED_RATE": {
        "fr": "Plus de 5 % de rejets sur la dernière heure",
        "en": "Over 5% of the last hour's messages rejected",
    },
    "alert_help.ALERT_STOCKOUT": {
        "fr": "Rupture, ou rupture sous 5 jours sans livraison",
        "en": "Out of stock, or within 5 days with no delivery",
    },
    "alert_help.ALERT_DATA_QUALITY": {
        "fr": "Qualité de PRODUCTION : totaux, stock, clés, dates",
        "en": "PRODUCTION quality: totals, stock, keys, dates",
    },
    "dq_status.ok": {"fr": "OK", "en": "OK"},
    "dq_status.failing": {"fr": "En échec", "en": "Failing"},
}

# Column headings of the catalog's result sets (tables, chart axes). Unknown columns fall back to a
# readable form of their name ("ORDER_DAY" -> "Order day").
COLUMNS: dict[str, dict[str, str]] = {
    "ABC_CLASS": {"fr": "Classe", "en": "Class"},
    "ACTION": {"fr": "Action", "en": "Action"},
    "ACTIVE_CUSTOMERS": {"fr": "Clients actifs", "en": "Active customers"},
    "ACTOR": {"fr": "Qui", "en": "Who"},
    "ADJUSTMENT_COUNT": {"fr": "Mouvements", "en": "Adjustments"},
    "ADJUSTMENT_ID": {"fr": "Mouvement", "en": "Adjustment"},
    "ADJUSTMENT_TYPE": {"fr": "Type", "en": "Type"},
    "AVG_BASKET": {"fr": "Panier moyen", "en": "Average basket"},
    "AVG_BOTTLES_PER_ORDER": {"fr": "Bouteilles par commande", "en": "Bottles per order"},
    "AVG_DAILY_UNITS": {"fr": "Ventes / jour", "en": "Units / day"},
    "AVG_DURATION_SEC": {"fr": "Durée moyenne", "en": "Average duration"},
    "AVG_LATENCY_SEC": {"fr": "Latence moyenne", "en": "Average latency"},
    "AVG_MONETARY": {"fr": "Dépense moyenne", "en": "Average spend"},
    "AVG_PRICE_PAID": {"fr": "Prix payé moyen", "en": "Average price paid"},
    "AVG_STOCK": {"fr": "Stock moyen", "en": "Average stock"},
    "AVG_UNIT_PRICE": {"fr": "Prix unitaire moyen", "en": "Average unit price"},
    "CANCELLATION_RATE_PCT": {"fr": "Taux d'annulation (%)", "en": "Cancellation rate (%)"},
    "CANCELLED_ORDERS": {"fr": "Commandes annulées", "en": "Cancelled orders"},
    "CATEGORY": {"fr": "Catégorie", "en": "Category"},
    "COHORT_MONTH": {"fr": "Cohorte", "en": "Cohort"},
    "COMPLETED_TIME": {"fr": "Fin", "en": "Completed"},
    "CONSUMER_TASK": {"fr": "Lu par", "en": "Read by"},
    "CUMULATIVE_SHARE": {"fr": "Part cumulée", "en": "Cumulative share"},
    "CURRENT_STOCK_LEVEL": {"fr": "Stock", "en": "Stock"},
    "CUSTOMER_COUNT": {"fr": "Clients", "en": "Customers"},
    "CUSTOMER_ID": {"fr": "Client", "en": "Customer"},
    "DAYS_INACTIVE": {"fr": "Jours d'inactivité", "en": "Days inactive"},
    "DAYS_OF_COVER": {"fr": "Jours de couverture", "en": "Days of cover"},
    "DAYS_OF_STOCK_LEFT": {"fr": "Jours de stock restants", "en": "Days of stock left"},
    "DELTA_PCT": {"fr": "Évolution (%)", "en": "Change (%)"},
    "DISCOUNT_AMOUNT": {"fr": "Remises", "en": "Discounts"},
    "DURATION_SEC": {"fr": "Durée", "en": "Duration"},
    "ERROR_MESSAGE": {"fr": "Erreur", "en": "Error"},
    "EVENT_COUNT": {"fr": "Événements", "en": "Events"},
    "EVENT_TIMESTAMP": {"fr": "Horodatage", "en": "Timestamp"},
    "EVENT_TYPE": {"fr": "Type d'événement", "en": "Event type"},
    "FAILED": {"fr": "Échecs", "en": "Failed"},
    "FINISHED_AT": {"fr": "Fin", "en": "Finished"},
    "FIRST_ORDER_AT": {"fr": "Première commande", "en": "First order"},
    "FLOW": {"fr": "Flux", "en": "Flow"},
    "FREQUENCY": {"fr": "Fréquence", "en": "Frequency"},
    "GRADE": {"fr": "État", "en": "Status"},
    "HAS_PENDING_DATA": {"fr": "Données en attente", "en": "Pending data"},
    "HOURS_WAITING": {"fr": "Attente (h)", "en": "Waiting (h)"},
    "IN_STOCK": {"fr": "En stock", "en": "In stock"},
    "LAST_ADJUSTMENT_AT": {"fr": "Dernier mouvement", "en": "Last adjustment"},
    "LAST_ORDER_AT": {"fr": "Dernière commande", "en": "Last order"},
    "LAST_PROD_UPDATE": {"fr": "Dernière mise à jour production", "en": "Last production update"},
    "LAST_RAW_INGESTION": {"fr": "Dernier message RAW", "en": "Last RAW message"},
    "LAST_SCHEDULED_TIME": {"fr": "Dernière planification", "en": "Last scheduled"},
    "LAST_STATE": {"fr": "Dernier état", "en": "Last state"},
    "LAST_SUSPENDED_REASON": {"fr": "Motif de suspension", "en": "Suspension reason"},
    "LAYER": {"fr": "Étape", "en": "Layer"},
    "LIFETIME_VALUE": {"fr": "Valeur client", "en": "Lifetime value"},
    "LOW_STOCK_COUNT": {"fr": "Sous le seuil", "en": "Below threshold"},
    "MAX_BASKET": {"fr": "Panier max", "en": "Largest basket"},
    "MAX_DURATION_SEC": {"fr": "Durée max", "en": "Max duration"},
    "MAX_LATENCY_SEC": {"fr": "Latence max", "en": "Max latency"},
    "MEDIAN_BASKET": {"fr": "Panier médian", "en": "Median basket"},
    "MEDIAN_LATENCY_SEC": {"fr": "Latence médiane", "en": "Median latency"},
    "MIN_BASKET": {"fr": "Panier min", "en": "Smallest basket"},
    "MONETARY": {"fr": "Montant", "en": "Monetary"},
    "MONTH_START": {"fr": "Mois", "en": "Month"},
    "NAME": {"fr": "Tâche", "en": "Task"},
    "ORDER_COUNT": {"fr": "Commandes", "en": "Orders"},
    "ORDER_DATE": {"fr": "Date de commande", "en": "Order date"},
    "ORDER_DAY": {"fr": "Jour", "en": "Day"},
    "ORDER_DELTA_PCT": {"fr": "Évolution commandes (%)", "en": "Orders change (%)"},
    "ORDER_ID": {"fr": "Commande", "en": "Order"},
    "ORDER_STATUS": {"fr": "Statut", "en": "Status"},
    "OUTCOME": {"fr": "Résultat", "en": "Outcome"},
    "OUT_OF_STOCK_COUNT": {"fr": "En rupture", "en": "Out of stock"},
    "PAYMENT_METHOD": {"fr": "Moyen de paiement", "en": "Payment method"},
    "PREDECESSORS": {"fr": "Prédécesseurs", "en": "Predecessors"},
    "PREVIOUS_MONTH_REVENUE": {"fr": "CA du mois précédent", "en": "Previous month revenue"},
    "PRODUCTS": {"fr": "Vins", "en": "Wines"},
    "PRODUCT_CATEGORY": {"fr": "Catégorie", "en": "Category"},
    "PRODUCT_COUNT": {"fr": "Références", "en": "Products"},
    "PRODUCT_ID": {"fr": "Référence", "en": "Product ID"},
    "PRODUCT_NAME": {"fr": "Vin", "en": "Wine"},
    "QUANTITY": {"fr": "Quantité", "en": "Quantity"},
    "QUANTITY_CHANGE": {"fr": "Variation", "en": "Change"},
    "REASON": {"fr": "Motif", "en": "Reason"},
    "RECENCY_DAYS": {"fr": "Récence (jours)", "en": "Recency (days)"},
    "REJECTED_COUNT": {"fr": "Rejets", "en": "Rejections"},
    "REJECT_REASON": {"fr": "Motif de rejet", "en": "Reject reason"},
    "REPEAT_CUSTOMERS": {"fr": "Clients revenus", "en": "Repeat customers"},
    "REVENUE": {"fr": "Chiffre d'affaires", "en": "Revenue"},
    "REVENUE_7D_AVG": {"fr": "Moyenne mobile 7 j", "en": "7-day average"},
    "REVENUE_CURRENT": {"fr": "CA période", "en": "Revenue (period)"},
    "REVENUE_DELTA": {"fr": "Écart de CA", "en": "Revenue change"},
    "REVENUE_DELTA_PCT": {"fr": "Évolution CA (%)", "en": "Revenue change (%)"},
    "REVENUE_PREVIOUS": {"fr": "CA période précédente", "en": "Revenue (previous)"},
    "REVENUE_SHARE": {"fr": "Part du CA", "en": "Revenue share"},
    "REVENUE_SHARE_PCT": {"fr": "Part du CA (%)", "en": "Revenue share (%)"},
    "ROW_COUNT": {"fr": "Lignes", "en": "Rows"},
    "RUNS": {"fr": "Exécutions", "en": "Runs"},
    "SCHEDULE": {"fr": "Planification", "en": "Schedule"},
    "SCHEDULED_TIME": {"fr": "Planifiée à", "en": "Scheduled"},
    "ROOT_TASK_NAME": {"fr": "Graphe (tâche racine)", "en": "Graph (root task)"},
    "FIRST_ERROR_TASK_NAME": {"fr": "Première tâche en échec", "en": "First failed task"},
    "FIRST_ERROR_MESSAGE": {"fr": "Première erreur", "en": "First error"},
    "ATTEMPT_NUMBER": {"fr": "Tentative", "en": "Attempt"},
    "SCHEMA_NAME": {"fr": "Schéma", "en": "Schema"},
    "SEGMENT": {"fr": "Segment", "en": "Segment"},
    "SHIPPING_COUNTRY": {"fr": "Pays", "en": "Country"},
    "SKIPPED": {"fr": "Ignorées", "en": "Skipped"},
    "SOURCE_TABLE": {"fr": "Table suivie", "en": "Source table"},
    "STALE": {"fr": "Périmé", "en": "Stale"},
    "STALE_AFTER": {"fr": "Périmé après", "en": "Stale after"},
    "STARTED_AT": {"fr": "Début", "en": "Started"},
    "STARTING_STOCK": {"fr": "Stock initial", "en": "Starting stock"},
    "STATE": {"fr": "État", "en": "State"},
    "STOCKOUT_DATE": {"fr": "Rupture prévue", "en": "Expected stock-out"},
    "STREAM_NAME": {"fr": "Stream", "en": "Stream"},
    "SUCCEEDED": {"fr": "Réussies", "en": "Succeeded"},
    "SUCCESS_RATE_PCT": {"fr": "Réussite (%)", "en": "Success rate (%)"},
    "TABLE_NAME": {"fr": "Table", "en": "Table"},
    "TARGET": {"fr": "Cible", "en": "Target"},
    "TODAY": {"fr": "Aujourd'hui", "en": "Today"},
    "TOTAL_AMOUNT": {"fr": "Montant", "en": "Amount"},
    "TOTAL_UNITS": {"fr": "Bouteilles", "en": "Bottles"},
    "TURNOVER_RATIO": {"fr": "Rotation", "en": "Turnover"},
    "UNITS_BELOW_THRESHOLD": {"fr": "Manque (bouteilles)", "en": "Shortfall (bottles)"},
    "UNITS_CURRENT": {"fr": "Bouteilles (période)", "en": "Units (period)"},
    "UNITS_PREVIOUS": {"fr": "Bouteilles (précédente)", "en": "Units (previous)"},
    "UNITS_SOLD": {"fr": "Bouteilles vendues", "en": "Bottles sold"},
    "WAREHOUSE": {"fr": "Entrepôt", "en": "Warehouse"},
    "WAREHOUSE_LOCATION": {"fr": "Emplacement", "en": "Location"},
    "WEEKDAY_NAME": {"fr": "Jour", "en": "Weekday"},
    "WEEK_START": {"fr": "Semaine", "en": "Week"},
    "YESTERDAY": {"fr": "Hier", "en": "Yesterday"},
    # --- console #12: every column of the catalog has a heading in both languages
    "ALERT_LEVEL": {"fr": "Niveau d'alerte", "en": "Alert level"},
    "ALERT_NAME": {"fr": "Alerte", "en": "Alert"},
    "ALERT_RANK": {"fr": "Rang", "en": "Rank"},
    "ANOMALY": {"fr": "Anomalie", "en": "Anomaly"},
    "AVG_BASKET_MTD": {"fr": "Panier moyen du mois", "en": "Average basket (month)"},
    "AVG_BASKET_TODAY": {"fr": "Panier moyen du jour", "en": "Average basket today"},
    "AVG_DAYS_BETWEEN_ORDERS": {"fr": "Jours entre commandes", "en": "Days between orders"},
    "AVG_ORDERS_PER_CUSTOMER": {"fr": "Commandes par client", "en": "Orders per customer"},
    "AVG_REVENUE_PER_DAY": {"fr": "CA moyen par jour", "en": "Average revenue per day"},
    "AVG_UNITS_PER_PRODUCT": {"fr": "Bouteilles par vin", "en": "Units per wine"},
    "AVG_UNIT_REVENUE": {"fr": "CA moyen par bouteille", "en": "Revenue per bottle"},
    "BREAKAGE_LOSS": {"fr": "Perte (casse)", "en": "Breakage loss"},
    "BREAKAGE_UNITS": {"fr": "Bouteilles cassées", "en": "Bottles broken"},
    "CANCELLED_AMOUNT": {"fr": "Montant annulé", "en": "Cancelled amount"},
    "CATEGORY_RANK": {"fr": "Rang", "en": "Rank"},
    "COHORT_SIZE": {"fr": "Taille de la cohorte", "en": "Cohort size"},
    "CONTRIBUTION_RANK": {"fr": "Rang", "en": "Rank"},
    "CURRENT_EVENT_ID": {"fr": "Événement retenu", "en": "Current event"},
    "CURRENT_EVENT_INGESTED_AT": {"fr": "Reçu le", "en": "Received at"},
    "CURRENT_EVENT_TIMESTAMP": {"fr": "Horodatage retenu", "en": "Current event time"},
    "CURRENT_MONTH_CUMULATIVE": {"fr": "Cumul du mois", "en": "Month to date"},
    "CURRENT_STATUS": {"fr": "Statut actuel", "en": "Current status"},
    "CUSTOMERS_MTD": {"fr": "Clients du mois", "en": "Customers (month)"},
    "CUSTOMERS_TODAY": {"fr": "Clients du jour", "en": "Customers today"},
    "DAYS_ELAPSED": {"fr": "Jours écoulés", "en": "Days elapsed"},
    "DAYS_IN_MONTH": {"fr": "Jours dans le mois", "en": "Days in month"},
    "DAYS_SINCE_LAST_SALE": {"fr": "Jours depuis la dernière vente", "en": "Days since last sale"},
    "DAY_OF_MONTH": {"fr": "Jour du mois", "en": "Day of month"},
    "DIFFERENCE": {"fr": "Écart", "en": "Difference"},
    "DISCOUNTED_ORDERS": {"fr": "Commandes remisées", "en": "Discounted orders"},
    "DISCOUNT_PCT": {"fr": "Remise (%)", "en": "Discount (%)"},
    "DISTINCT_EVENTS": {"fr": "Événements distincts", "en": "Distinct events"},
    "ERROR_CODE": {"fr": "Code d'erreur", "en": "Error code"},
    "ESTIMATED_LOSS": {"fr": "Perte estimée", "en": "Estimated loss"},
    "EVENT_ID": {"fr": "Événement", "en": "Event"},
    "FIRST_PRODUCT_NAME": {"fr": "Premier vin", "en": "First wine"},
    "FIRST_REJECTED_AT": {"fr": "Premier rejet", "en": "First rejected"},
    "F_SCORE": {"fr": "Score F (fréquence)", "en": "F score (frequency)"},
    "HISTORY_STOCK_LEVEL": {"fr": "Stock selon l'historique", "en": "Stock from history"},
    "HOUR_OF_DAY": {"fr": "Heure", "en": "Hour"},
    "INGESTION_HOUR": {"fr": "Heure de réception", "en": "Hour received"},
    "INGESTION_TIMESTAMP": {"fr": "Reçu le", "en": "Received at"},
    "IN_FLIGHT": {"fr": "En transit", "en": "In flight"},
    "IN_FLIGHT_SECONDS": {"fr": "Seuil de transit", "en": "In-flight threshold"},
    "IS_CAUGHT_UP": {"fr": "À jour", "en": "Caught up"},
    "ITEM_COUNT": {"fr": "Nombre", "en": "Count"},
    "LAST_ACTIVITY_AT": {"fr": "Dernière activité", "en": "Last activity"},
    "LAST_EVENT_ID": {"fr": "Dernier événement", "en": "Last event"},
    "LAST_EVENT_TIMESTAMP": {"fr": "Horodatage du dernier événement", "en": "Last event time"},
    "LAST_LOSS_AT": {"fr": "Dernière perte", "en": "Last loss"},
    "LAST_REJECTED_AT": {"fr": "Dernier rejet", "en": "Last rejected"},
    "LAST_SALE_AT": {"fr": "Dernière vente", "en": "Last sale"},
    "LATENCY_SECONDS": {"fr": "Latence", "en": "Latency"},
    "LATEST_EVENT_ID": {"fr": "Dernier événement", "en": "Latest event"},
    "LATEST_EVENT_TIMESTAMP": {"fr": "Horodatage le plus récent", "en": "Latest event time"},
    "LATEST_STATUS": {"fr": "Dernier statut", "en": "Latest status"},
    "LATE_STATUS": {"fr": "Statut arrivé en retard", "en": "Late status"},
    "LIST_AMOUNT": {"fr": "Montant au tarif", "en": "List amount"},
    "LOADED_AT": {"fr": "Chargé le", "en": "Loaded at"},
    "LOW_STOCK_PRODUCTS": {"fr": "Vins en stock bas", "en": "Low-stock wines"},
    "MAX_UNIT_PRICE": {"fr": "Prix max", "en": "Highest price"},
    "MESSAGE_COUNT": {"fr": "Messages", "en": "Messages"},
    "METRIC": {"fr": "Indicateur", "en": "Metric"},
    "MINUTES_SINCE_ACTIVITY": {"fr": "Minutes depuis l'activité", "en": "Minutes since activity"},
    "MIN_UNIT_PRICE": {"fr": "Prix min", "en": "Lowest price"},
    "MONTH_NUMBER": {"fr": "Mois n°", "en": "Month no."},
    "M_SCORE": {"fr": "Score M (montant)", "en": "M score (monetary)"},
    "NEGATIVE_CORRECTION_UNITS": {"fr": "Corrections négatives", "en": "Negative corrections"},
    "NET_CHANGE": {"fr": "Variation nette", "en": "Net change"},
    "NET_CONTRIBUTION": {"fr": "Contribution nette", "en": "Net contribution"},
    "NEW_CUSTOMERS": {"fr": "Nouveaux clients", "en": "New customers"},
    "OLDEST_PENDING_AGE_SEC": {"fr": "Depuis", "en": "Waiting for"},
    "OLDEST_PENDING_AT": {"fr": "Le plus ancien", "en": "Oldest"},
    "ORDERS_7D_AVG": {"fr": "Commandes, moyenne 7 j", "en": "Orders, 7-day average"},
    "ORDERS_MTD": {"fr": "Commandes du mois", "en": "Orders (month)"},
    "ORDERS_TODAY": {"fr": "Commandes du jour", "en": "Orders today"},
    "ORDERS_TO_PREPARE": {"fr": "Commandes à préparer", "en": "Orders to prepare"},
    "ORDER_SHARE_PCT": {"fr": "Part des commandes (%)", "en": "Share of orders (%)"},
    "OUT_OF_STOCK_PRODUCTS": {"fr": "Vins en rupture", "en": "Wines out of stock"},
    "PENDING_CHANGES": {"fr": "En attente", "en": "Pending"},
    "PREVIOUS_MONTH_CUMULATIVE": {"fr": "Cumul du mois précédent", "en": "Previous month to date"},
    "PRODUCTS_SOLD": {"fr": "Vins vendus", "en": "Wines sold"},
    "PROJECTED_DELTA_PCT": {"fr": "Projection vs mois précédent (%)", "en": "Projection vs last month (%)"},
    "PROJECTED_REVENUE": {"fr": "CA projeté", "en": "Projected revenue"},
    "QUERY_START_TIME": {"fr": "Début", "en": "Started"},
    "RAW_MESSAGE_PREVIEW": {"fr": "Message (début)", "en": "Message (start)"},
    "RAW_ROWS": {"fr": "Messages RAW", "en": "RAW messages"},
    "REDELIVERIES": {"fr": "Redistributions", "en": "Redeliveries"},
    "REDELIVERY_RATE_PCT": {"fr": "Taux de redistribution (%)", "en": "Redelivery rate (%)"},
    "REJECTED": {"fr": "Rejetés", "en": "Rejected"},
    "REJECTED_AT": {"fr": "Rejeté le", "en": "Rejected at"},
    "REJECTED_LAST_24H": {"fr": "Rejets sur 24 h", "en": "Rejected in 24 h"},
    "REPEAT_RATE_PCT": {"fr": "Taux de réachat (%)", "en": "Repeat rate (%)"},
    "RETENTION_PCT": {"fr": "Rétention (%)", "en": "Retention (%)"},
    "RETURN_RATE_PCT": {"fr": "Taux de retour (%)", "en": "Return rate (%)"},
    "REVENUE_30D": {"fr": "CA sur 30 jours", "en": "Revenue, 30 days"},
    "REVENUE_MTD": {"fr": "CA du mois", "en": "Revenue month to date"},
    "REVENUE_PER_CUSTOMER": {"fr": "CA par client", "en": "Revenue per customer"},
    "REVENUE_PREVIOUS_MTD": {"fr": "CA du mois précédent à date", "en": "Previous month to date"},
    "REVENUE_RANK": {"fr": "Rang (CA)", "en": "Rank (revenue)"},
    "REVENUE_TODAY": {"fr": "CA du jour", "en": "Revenue today"},
    "REVENUE_YESTERDAY": {"fr": "CA d'hier", "en": "Revenue yesterday"},
    "RFM_CODE": {"fr": "Code RFM", "en": "RFM code"},
    "R_SCORE": {"fr": "Score R (récence)", "en": "R score (recency)"},
    "SECONDS_SINCE_LAST_PROD_UPDATE": {
        "fr": "Depuis la dernière écriture en production",
        "en": "Since the last production write",
    },
    "SECONDS_SINCE_LAST_RAW": {"fr": "Depuis le dernier message RAW", "en": "Since the last RAW message"},
    "SEVERITY": {"fr": "Gravité", "en": "Severity"},
    "SHARE_PCT": {"fr": "Part (%)", "en": "Share (%)"},
    "STAGED_ADJUSTMENTS": {"fr": "Mouvements en staging", "en": "Staged adjustments"},
    "STAGED_ORDERS": {"fr": "Commandes en staging", "en": "Staged orders"},
    "STATUS": {"fr": "Statut", "en": "Status"},
    "STOCK_STATUS": {"fr": "État du stock", "en": "Stock status"},
    "SUGGESTED_QUANTITY": {"fr": "Quantité suggérée", "en": "Suggested quantity"},
    "TOP_CATEGORY": {"fr": "Catégorie en tête", "en": "Top category"},
    "TOP_PRODUCT_TODAY": {"fr": "Meilleure vente du jour", "en": "Today's best seller"},
    "UNACCOUNTED": {"fr": "Non répartis", "en": "Unaccounted"},
    "UNITS_IN": {"fr": "Entrées", "en": "Units in"},
    "UNITS_LOST": {"fr": "Bouteilles perdues", "en": "Units lost"},
    "UNITS_OUT": {"fr": "Sorties", "en": "Units out"},
    "UNITS_RANK": {"fr": "Rang (bouteilles)", "en": "Rank (units)"},
    "UNITS_RETURNED": {"fr": "Bouteilles retournées", "en": "Units returned"},
    "UNITS_SOLD_30D": {"fr": "Bouteilles vendues sur 30 jours", "en": "Units sold, 30 days"},
    "UNITS_TODAY": {"fr": "Bouteilles du jour", "en": "Bottles today"},
    "VALUE_RANK": {"fr": "Rang (valeur)", "en": "Rank (value)"},
    "WEEKDAY_ISO": {"fr": "Jour n°", "en": "Weekday no."},
    "WINDOW_START": {"fr": "Depuis le", "en": "Since"},
    "CHECK_NAME": {"fr": "Contrôle", "en": "Check"},
    "ALERT_CATEGORY": {"fr": "Famille", "en": "Family"},
    "KIND": {"fr": "Nature", "en": "Kind"},
    "OBJECT_KEY": {"fr": "Clé", "en": "Key"},
    "DETAIL": {"fr": "Détail", "en": "Detail"},
    "MEASURED_VALUE": {"fr": "Mesure", "en": "Measure"},
    "WAITING_SECONDS": {"fr": "En attente depuis", "en": "Waiting for"},
    "PENDING_SECONDS": {"fr": "En attente depuis", "en": "Pending for"},
    "REJECTED_PCT": {"fr": "Rejets", "en": "Rejected"},
    "GAP_AMOUNT": {"fr": "Écart", "en": "Gap"},
    "AHEAD_SECONDS": {"fr": "En avance de", "en": "Ahead by"},
    "DUPLICATE_COUNT": {"fr": "Occurrences", "en": "Occurrences"},
    "SINCE_LOAD_SECONDS": {"fr": "Depuis le dernier chargement", "en": "Since the last load"},
    "FIRST_SEEN": {"fr": "Ouverte le", "en": "Open since"},
    "LAST_SEEN": {"fr": "Vue le", "en": "Last seen"},
    "OPEN_ITEMS": {"fr": "Lignes ouvertes", "en": "Open rows"},
    "FAILING_ROWS": {"fr": "Lignes en échec", "en": "Failing rows"},
    "DQ_STATUS": {"fr": "Résultat", "en": "Result"},
    "SAMPLE_KEY": {"fr": "Exemple de clé", "en": "Sample key"},
    "DETECTED_AT": {"fr": "Détectée le", "en": "Detected at"},
    "SCHEDULED_FROM": {"fr": "Lancée par", "en": "Started by"},
    "ACKNOWLEDGED_BY": {"fr": "Acquittée par", "en": "Acknowledged by"},
    "ACKNOWLEDGED_AT": {"fr": "Acquittée le", "en": "Acknowledged at"},
    "NOTE": {"fr": "Note", "en": "Note"},
    "INTEGRATION_NAME": {"fr": "Intégration", "en": "Integration"},
    "SENT_AT": {"fr": "Envoyée le", "en": "Sent at"},
    "SUBJECT": {"fr": "Objet", "en": "Subject"},
    "MESSAGE": {"fr": "Message", "en": "Message"},
    "PROCEDURE_NAME": {"fr": "Procédure", "en": "Procedure"},
    "ALERT_DESCRIPTION": {"fr": "Ce qu'elle surveille", "en": "What it watches"},
}


WEEKDAYS = {
    "fr": ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


PAYMENT_METHODS = {
    "card": {"fr": "Carte bancaire", "en": "Card"},
    "paypal": {"fr": "PayPal", "en": "PayPal"},
    "bank_transfer": {"fr": "Virement", "en": "Bank transfer"},
    "apple_pay": {"fr": "Apple Pay", "en": "Apple Pay"},
}


def payment_method(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A payment method of the event contract (``card``...) as customers say it; unknown codes unchanged."""
    entry = PAYMENT_METHODS.get(code)
    return code if entry is None else entry.get(lang) or entry[DEFAULT_LANGUAGE]


def weekday(iso_day: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """The name of an ISO weekday (Monday = 1)."""
    return WEEKDAYS.get(lang, WEEKDAYS[DEFAULT_LANGUAGE])[int(iso_day) - 1]


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for ``key`` in ``lang`` (French if missing, else the key), formatted with ``values``."""
    entry = TEXTS.get(key)
    text = key if entry is None else entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def column_label(column: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A column heading: the dictionary's, else ``ORDER_DAY`` -> ``Order day``."""
    entry = COLUMNS.get(column.upper())
    if entry is not None:
        return entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return column.replace("_", " ").capitalize()


# --- console #12: the codes a user sees, by the column that holds them -> the TEXTS prefix of their labels.
CODE_COLUMNS: dict[str, str] = {
    "STATE": "run",
    "LAST_STATE": "run",
    "LATEST_STATUS": "order_status",
    "CURRENT_STATUS": "order_status",
    "LATE_STATUS": "order_status",
    "ORDER_STATUS": "order_status",
    "SEGMENT": "segment",
    "ACTION": "action",
    "OUTCOME": "outcome",
    "TARGET": "target",
    "ADJUSTMENT_TYPE": "adjustment",
    "EVENT_TYPE": "event_type",
    "PRODUCT_CATEGORY": "category",
    "CATEGORY": "category",
    "TOP_CATEGORY": "category",
    "LAST_SUSPENDED_REASON": "suspended",
    "LAYER": "layer",
    "FLOW": "flow",
    "GRADE": "grade",
    "ALERT_NAME": "alert",
    "METRIC": "kpi",
    "ERROR_MESSAGE": "task_error",
    "FIRST_ERROR_MESSAGE": "task_error",
    "SCHEDULED_FROM": "origin",
    "CHECK_NAME": "check",
    "SEVERITY": "severity",
    "ALERT_CATEGORY": "alert_category",
    "KIND": "alert_kind",
    "DQ_STATUS": "dq_status",
}

# The reference validator's reasons (caves/events.py), in French: the first matching rule wins.
_REASONS_FR: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"^duplicate event_id$", "event_id en double (message redistribué)"),
        (r"^not valid JSON \(duplicate key (.+)\)$", r"JSON invalide (clé \1 en double)"),
        (r"^not valid JSON$", "JSON invalide"),
        (r"^not a JSON object$", "pas un objet JSON"),
        (r"^missing field (.+)$", r"champ \1 manquant"),
        (r"^(.+) is not an ISO-8601 date-time$", r"\1 n'est pas une date-heure ISO 8601"),
        (r"^(.+) is higher than (.+)$", r"\1 dépasse \2"),
        (r"^unknown (\S+) (.+)$", r"\1 inconnu : \2"),
        (r"^(\S+) must not be empty$", r"\1 ne doit pas être vide"),
        (r"^(\S+) must not be (.+)$", r"\1 ne doit pas valoir \2"),
        (r"^(\S+) must have at least (\d+) characters$", r"\1 doit avoir au moins \2 caractères"),
        (r"^(\S+) must have at most (\d+) characters$", r"\1 doit avoir au plus \2 caractères"),
        (r"^(\S+) must be ([<>]) 0 for a (\S+)$", r"\1 doit être \2 0 pour un mouvement « \3 »"),
        (r"^(\S+) must be an object$", r"\1 doit être un objet"),
        (r"^(\S+) must be a string$", r"\1 doit être du texte"),
        (r"^(\S+) must be an integer$", r"\1 doit être un entier"),
        (r"^(\S+) must be a number$", r"\1 doit être un nombre"),
        (r"^(\S+) must be (.+)$", r"\1 doit être \2"),
    )
)


def reject_reason(reason: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A rejection reason of ``STAGING.REJECTED_EVENTS`` (English, from the validator) in ``lang``; field names
    and values stay as written in the message."""
    if lang != "fr":
        return reason
    for pattern, text in _REASONS_FR:
        if pattern.match(reason):
            return pattern.sub(text, reason)
    return reason


_EVERY_MINUTES = re.compile(r"^(\d+) MINUTES?$", re.IGNORECASE)
_DAILY_CRON = re.compile(r"^USING CRON (\d{1,2}) (\d{1,2}) \* \* \* (\S+)$", re.IGNORECASE)


def schedule_label(schedule: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A task's SCHEDULE in words (``1 MINUTE`` -> ``chaque minute``, ``USING CRON 0 3 * * * UTC`` -> ``chaque
    jour à 03:00 (UTC)``); any other schedule unchanged."""
    every = _EVERY_MINUTES.match(schedule.strip())
    if every:
        minutes = int(every.group(1))
        if minutes == 1:
            return "chaque minute" if lang == "fr" else "every minute"
        return f"toutes les {minutes} min" if lang == "fr" else f"every {minutes} min"
    daily = _DAILY_CRON.match(schedule.strip())
    if daily:
        minute, hour, zone = int(daily.group(1)), int(daily.group(2)), daily.group(3)
        at = f"{hour:02d}:{minute:02d} ({zone})"
        return f"chaque jour à {at}" if lang == "fr" else f"daily at {at}"
    return schedule


def code_label(column: str, code: object, lang: str = DEFAULT_LANGUAGE) -> object:
    """The label of a code shown in ``column`` (a task state, a segment, an audit action...); other values and
    unknown codes unchanged."""
    upper = column.upper()
    if not isinstance(code, str):
        return code
    if upper == "PAYMENT_METHOD":
        return payment_method(code, lang)
    if upper == "REJECT_REASON":
        return reject_reason(code, lang)
    if upper == "SCHEDULE":
        return schedule_label(code, lang)
    prefix = CODE_COLUMNS.get(upper)
    if prefix is None:
        return code
    # the state of a task (SHOW TASKS: started / suspended) and of a run (TASK_HISTORY: SUCCEEDED...) share STATE
    key = f"state.{code}" if prefix == "run" and code.islower() else f"{prefix}.{code}"
    return t(key, lang) if key in TEXTS else code
