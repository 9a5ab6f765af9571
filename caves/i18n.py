"""The console's texts in French (the default) and English.

Query titles and descriptions come from the catalog (bilingual headers); this dictionary holds the rest:
page titles, labels, messages, column headings. ``t(key, lang, **values)`` falls back to French, then to
the key itself, so a missing translation shows up as a readable key rather than an error.
"""

from __future__ import annotations

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "column_label", "payment_method", "t", "weekday"]

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
    "stock.product_filter": {"fr": "Référence produit", "en": "Product id"},
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
    "stock.kpi.last": {"fr": "Dernier mouvement", "en": "Last adjustment"},
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
        "fr": "Vert : dernière exécution réussie · rouge : échec · gris : suspendue · bleu : en cours",
        "en": "Green: last run succeeded · red: failed · grey: suspended · blue: running",
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
    "AVG_DURATION_SEC": {"fr": "Durée moyenne (s)", "en": "Average duration (s)"},
    "AVG_LATENCY_SEC": {"fr": "Latence moyenne (s)", "en": "Average latency (s)"},
    "AVG_MONETARY": {"fr": "Dépense moyenne", "en": "Average spend"},
    "AVG_PRICE_PAID": {"fr": "Prix payé moyen", "en": "Average price paid"},
    "AVG_STOCK": {"fr": "Stock moyen", "en": "Average stock"},
    "AVG_UNIT_PRICE": {"fr": "Prix unitaire moyen", "en": "Average unit price"},
    "CANCELLATION_RATE_PCT": {"fr": "Taux d'annulation (%)", "en": "Cancellation rate (%)"},
    "CANCELLED_ORDERS": {"fr": "Commandes annulées", "en": "Cancelled orders"},
    "CATEGORY": {"fr": "Catégorie", "en": "Category"},
    "COHORT_MONTH": {"fr": "Cohorte", "en": "Cohort"},
    "COMPLETED_TIME": {"fr": "Fin", "en": "Completed"},
    "CONSUMER_TASK": {"fr": "Tâche consommatrice", "en": "Consumer task"},
    "CUMULATIVE_SHARE": {"fr": "Part cumulée", "en": "Cumulative share"},
    "CURRENT_STOCK_LEVEL": {"fr": "Stock", "en": "Stock"},
    "CUSTOMER_COUNT": {"fr": "Clients", "en": "Customers"},
    "CUSTOMER_ID": {"fr": "Client", "en": "Customer"},
    "DAYS_INACTIVE": {"fr": "Jours d'inactivité", "en": "Days inactive"},
    "DAYS_OF_COVER": {"fr": "Jours de couverture", "en": "Days of cover"},
    "DAYS_OF_STOCK_LEFT": {"fr": "Jours de stock restants", "en": "Days of stock left"},
    "DELTA_PCT": {"fr": "Évolution (%)", "en": "Change (%)"},
    "DISCOUNT_AMOUNT": {"fr": "Remises", "en": "Discounts"},
    "DURATION_SEC": {"fr": "Durée (s)", "en": "Duration (s)"},
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
    "MAX_DURATION_SEC": {"fr": "Durée max (s)", "en": "Max duration (s)"},
    "MAX_LATENCY_SEC": {"fr": "Latence max (s)", "en": "Max latency (s)"},
    "MEDIAN_BASKET": {"fr": "Panier médian", "en": "Median basket"},
    "MEDIAN_LATENCY_SEC": {"fr": "Latence médiane (s)", "en": "Median latency (s)"},
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
    "PRODUCT_ID": {"fr": "Référence", "en": "Product id"},
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
