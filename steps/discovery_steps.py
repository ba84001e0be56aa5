"""Steps of discovery.feature: info, advertised methods, authorization server metadata."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from cscsuite.checks import discovery as checks
from cscsuite.discovery import metadata_urls
from cscsuite.driver_signing import SigningDriver


@when("the signing application asks the service for its information without authentication")
def ask_info_anonymously(flow: SigningDriver) -> None:
    flow.world.response = flow.api.info()


@when(parsers.parse('the signing application asks the service for its information in the '
                    'language "{lang}"'))
def ask_info_in_language(flow: SigningDriver, lang: str) -> None:
    flow.world.notes["own_lang"] = flow.api.info().field("lang")
    flow.world.notes["lang"] = lang
    flow.world.response = flow.api.info(lang=lang)


@then("the information contains every required field")
def required_fields(flow: SigningDriver) -> None:
    checks.check_required_fields(flow.response().body, flow.api.version, evidence=flow.ev())


@then("the specification version matches the API version in use")
def specs_major(flow: SigningDriver) -> None:
    checks.check_specs_major(flow.response().field("specs"), flow.api.version,
                             evidence=flow.ev())


@then("the name and the description are at most 255 characters long")
def text_lengths(flow: SigningDriver) -> None:
    checks.check_text_lengths(flow.response().body, evidence=flow.ev())


@then("the region is a two-letter country code")
def region(flow: SigningDriver) -> None:
    checks.check_region(flow.response().field("region"), evidence=flow.ev())


@then("every advertised authentication type is a known one")
def auth_types(flow: SigningDriver) -> None:
    checks.check_auth_types(flow.response().field("authType"), evidence=flow.ev())


@then("the service names its authorization server when it offers OAuth")
def oauth_server_named(flow: SigningDriver) -> None:
    checks.check_oauth_server_named(flow.response().body, flow.api.version,
                                    evidence=flow.ev())


@then("the logo can be downloaded as a PNG or JPEG image of at most 256 by 256 pixels")
def logo(flow: SigningDriver) -> None:
    status, content_type, body = flow.download(flow.response().field("logo") or "")
    checks.check_logo(status, content_type, body, evidence=flow.ev())


@then("the information is given in the service's own language")
def lang_fallback(flow: SigningDriver) -> None:
    checks.check_lang_fallback(flow.response().body, flow.world.notes["lang"],
                               flow.world.notes["own_lang"], evidence=flow.ev())


@then("every advertised signature algorithm is a dotted numeric object identifier")
@then("the algorithm parameters, if given, line up with the algorithms")
def sign_algorithms(flow: SigningDriver) -> None:
    checks.check_sign_algorithms(flow.response().body, evidence=flow.ev())


@then("each algorithm's parameters belong to that algorithm")
def algo_params_fit(flow: SigningDriver) -> None:
    checks.check_algo_params_fit(flow.response().body, evidence=flow.ev())


@when("the signing application calls every method the service advertises")
def call_every_method(flow: SigningDriver) -> None:
    token = flow.service_token()
    methods = checks.advertised_methods(flow.api.info().body)
    flow.world.notes["statuses"] = {m: flow.api.call(m, {}, token).status for m in methods}


@then("none of them is answered as unknown or unimplemented")
def methods_exist(flow: SigningDriver) -> None:
    checks.check_methods_exist(flow.world.notes["statuses"], evidence=flow.ev())


@when("the signing application calls a method the service does not advertise")
def call_unknown_method(flow: SigningDriver) -> None:
    flow.world.response = flow.api.call("signatures/notAMethod", {}, None)


@then("the service reports the method as not found or not implemented")
def method_absent(flow: SigningDriver) -> None:
    checks.check_method_absent(flow.response().status, evidence=flow.ev())


@when("the signing application reads the authorization server metadata")
def read_metadata(flow: SigningDriver) -> None:
    flow.endpoints  # noqa: B018 - skips the scenario when the target names no authorization server
    named = flow.info.oauth2_issuer or flow.info.oauth2 or ""
    flow.world.notes["named_issuer"] = named
    answers = [flow.api.http.get(url) for url in metadata_urls(named)]
    flow.world.response = next((a for a in answers if a.status == 200), answers[0])


@then("the metadata names the issuer and the authorization and token endpoints")
def metadata_fields(flow: SigningDriver) -> None:
    checks.check_metadata(flow.response().body or {}, evidence=flow.ev())


@then("the issuer matches the authorization server the service names")
def issuer_matches(flow: SigningDriver) -> None:
    checks.check_issuer_matches(flow.response().field("issuer"),
                                flow.world.notes["named_issuer"], evidence=flow.ev())


@then("the information matches the values pinned for this target")
def pinned(flow: SigningDriver) -> None:
    checks.check_pinned(flow.response().body,
                        flow.world.profile.capabilities.get("pinned_info", {}), evidence=flow.ev())
