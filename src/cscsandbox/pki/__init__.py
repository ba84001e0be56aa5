"""Test PKI: root CA, qualified issuing CA, credential certificates, CRL and OCSP responder."""
