// Package datainclusion maps Maillage's consolidated places to
// data·inclusion's schema v1 (GIP Plateforme de l'inclusion): one
// structure per place, and one service per national service the place
// offers. It is pure conversion; package web serves the results under
// /api/v1/export/data-inclusion/structures and /services.
//
// # API
//
//   - StructureOf(c, opt) and ServicesOf(c, opt) convert a place.
//   - StructureID and ServiceID give the ids without converting.
//   - NewArrayWriter(w) and NewNDJSONWriter(w) stream objects one at a
//     time (Write each, then Close).
//   - Options: Source ("maillage" by default) is the producer identifier
//     and the prefix of ids, following data·inclusion's "source--id";
//     Now gives date_maj when no source gave one (data·inclusion requires
//     it); LienSource links to the place's page.
//
// # Structures
//
//	national schema                  data·inclusion structure
//	id (consolidated)                id = "maillage--" + id
//	nom                              nom (cut at 150 characters; a name shorter than 3
//	                                 gets its commune)
//	pivot                            siret, only a real SIRET (not a SIREN, RNA, RIDET or
//	                                 the placeholder 00000000000000)
//	presentation_detail (else        description (omitted under 5 characters)
//	  presentation_resume)
//	adresse, complement_adresse,     same names (code_postal and code_insee only when they
//	  commune, code_postal,          have the 5 characters data·inclusion requires)
//	  code_insee
//	latitude, longitude              same, only when a source gave them (not a commune's
//	                                 centre)
//	telephone                        telephone
//	courriels, site_web              courriel, site_web: the first of each (an e-mail with
//	                                 accents, outside the "email" format, is skipped)
//	horaires                         horaires_accueil, as is (both use OSM opening_hours)
//	fiche_acces_libre                accessibilite_lieu
//	date_maj                         date_maj (else Options.Now)
//	typologie, dispositif_programmes reseaux_porteurs, through ReseauxPorteursOfTypology,
//	  _nationaux, formations_labels  ReseauxPorteursOfProgram and ReseauxPorteursOfLabel
//
// data·inclusion v1 has no typology field: typologies that are networks
// (CCAS, France Travail, Mission locale, EPN…) become réseaux porteurs,
// the others (BIB, CS, ASSO, TIERS_LIEUX…) are lost.
//
// # Services
//
// Each value of the national "services" gives one service, id
// "<structure id>--<slug of the service>", nom the schema's wording,
// description a French sentence naming the service and the place followed
// by its presentation. Everything else is the place's, since the national
// schema only describes places: address, coordinates, telephone, first
// e-mail, horaires_accueil, and:
//
//	national service                             thematiques (Thematiques)
//	Aide aux démarches administratives           numerique--acceder-a-des-services-en-ligne,
//	                                             difficultes-administratives-ou-juridiques--
//	                                             accompagnement-aux-demarches-administratives
//	Maîtrise des outils numériques du quotidien  numerique--maitriser-les-fondamentaux-du-numerique
//	Insertion professionnelle via le numérique   numerique--maitriser-les-fondamentaux-du-numerique,
//	                                             preparer-sa-candidature--organiser-ses-
//	                                             demarches-de-recherche-demploi
//	Utilisation sécurisée du numérique           numerique--maitriser-les-fondamentaux-du-numerique
//	Parentalité et éducation avec le numérique   famille--soutien-a-la-parentalite-et-a-leducation
//	Loisirs et créations numériques              remobilisation--activites-sportives-et-culturelles
//	Compréhension du monde numérique             numerique--maitriser-les-fondamentaux-du-numerique
//	Accès internet et matériel informatique      numerique--acceder-a-une-connexion-internet
//	Acquisition de matériel informatique à prix  numerique--acquerir-un-equipement
//	  solidaire
//
// type: "aide-materielle" for the last two services; otherwise
// "accompagnement" when modalites_accompagnement says "Accompagnement
// individuel" or "À distance", "atelier" when it only says "Dans un
// atelier collectif", none otherwise ("En autonomie" has no v1 type).
//
// frais: "gratuit" when frais_a_charge says only Gratuit or Gratuit sous
// condition ("Gratuit sous condition." in frais_precisions), "payant" when
// it says Payant (with all the values in frais_precisions when it also
// says free).
//
// publics: Jeunes → jeunes, Étudiants → etudiants, Familles et/ou enfants
// → familles, Seniors → seniors, Femmes → femmes; a place without
// publics_specifiquement_adresses is for everyone: tous-publics.
// prise_en_charge_specifique (needs the place can support, not a
// condition of access) goes into publics_precisions.
//
// modes_accueil: en-presentiel unless modalites_acces says "Ce lieu
// n'accueille pas de public"; a-distance with "À distance".
//
// modes_mobilisation (ModesMobilisation): Se présenter → se-presenter,
// Téléphoner → telephoner, Contacter par mail → envoyer-un-courriel,
// Prendre un RDV en ligne → utiliser-lien-mobilisation with prise_rdv as
// lien_mobilisation (without prise_rdv, a sentence in
// mobilisation_precisions), Envoyer un mail avec une fiche de prescription
// → envoyer-un-courriel for professionnels (mobilisable_par), the others
// for usagers.
//
// # What is lost
//
// autres_formations_labels, itinerance, structure_parente, Certification
// PIX and the other programmes without a network, e-mails and websites
// after the first, coordinates at a commune's centre, the provenance of
// fields (see Maillage's own API). zone_eligibilite, conditions_acces and
// volume_horaire_hebdomadaire are not known and left out.
package datainclusion
