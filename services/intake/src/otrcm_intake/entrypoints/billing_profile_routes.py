"""Billing profiles through the API: the billing provider (NPI, tax id, taxonomy, address, pay-to address,
submitter, receiver, interchange ids, locations) a tenant's claims go out as.

Registering one needs a key with the ``admin`` scope and takes the path of ``otrcm-intake
register-billing-provider`` (billing_providers.py): the same checks (NPI check digit, tax id and taxonomy
shapes, one NPI and one tax id per tenant), the same 422 shape, the same event for the claims service.
Moving an NPI from another tenant (``--transfer``) stays an operator's action.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from otrcm_intake.domain.key_terms import Scope
from otrcm_intake.entrypoints.auth import tenant_with
from otrcm_intake.entrypoints.problems import BODY_ERRORS
from otrcm_intake.usecases.billing_providers import register_billing_provider, registrations_of_tenant
from otrcm_intake.usecases.outcomes import Outcome
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.runtime.service import ServiceRuntime

STATUS_OF = {Outcome.ACCEPTED: 202, Outcome.DUPLICATE: 202, Outcome.REJECTED: 422}


def billing_profile_routes(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter()
    reader = Depends(tenant_with(Scope.READ))
    administrator = Depends(tenant_with(Scope.ADMIN))

    @router.post(
        "/v1/billing-profiles",
        status_code=202,
        summary="Register (or update, or withdraw with active: false) a billing profile of your organisation",
        description="Needs a key with the admin scope. Idempotent on the NPI and the content.",
        responses=BODY_ERRORS,
    )
    async def post_billing_profile(profile: BillingProviderRegistered, tenant_id: str = administrator) -> JSONResponse:
        async with runtime.db.transaction() as session:
            result = await register_billing_provider(session, tenant_id, profile)
        if result.outcome is Outcome.ACCEPTED:
            runtime.wake_relay()
        return JSONResponse(result.as_dict(), status_code=STATUS_OF[result.outcome])

    @router.get("/v1/billing-profiles", summary="The billing profiles registered to your organisation, by NPI")
    async def get_billing_profiles(tenant_id: str = reader) -> JSONResponse:
        async with runtime.db.transaction() as session:
            return JSONResponse({"billing_profiles": await registrations_of_tenant(session, tenant_id)})

    @router.get(
        "/v1/billing-providers",
        summary="The billing providers registered to your organisation (the same as GET /v1/billing-profiles)",
        deprecated=True,
    )
    async def get_billing_providers(tenant_id: str = reader) -> JSONResponse:
        async with runtime.db.transaction() as session:
            return JSONResponse({"billing_providers": await registrations_of_tenant(session, tenant_id)})

    return router
