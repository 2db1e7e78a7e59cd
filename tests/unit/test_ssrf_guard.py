"""The fetcher's server-side request forgery guard: which addresses a fetch may reach."""

from __future__ import annotations

import ipaddress

import pytest

from ingest.page_fetcher import refused_address


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "224.0.0.1",
    "100.64.0.1", "100.100.100.200", "100.127.255.254",  # carrier-grade NAT (Alibaba Cloud's metadata address)
    "::1", "fe80::1", "fc00::1", "ff02::1",
    "2002::1", "2002:7f00:1::", "2002:0a00:0001::1",  # 6to4, which tunnels to any IPv4 address
    "::ffff:127.0.0.1", "::ffff:100.64.0.1",  # IPv4 written as IPv6
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",  # NAT64 to loopback and to the metadata address
])
def test_private_and_tunnelled_addresses_are_refused(address: str) -> None:
    assert refused_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "100.63.255.255", "100.128.0.1", "2001:4860::8888", "64:ff9b::808:808"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert not refused_address(ipaddress.ip_address(address))
