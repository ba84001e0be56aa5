@discovery
Feature: Discovery of the service
  The signing application learns everything it needs about the service from its information
  method: who runs it, which specification it follows, how to authenticate, which methods and
  algorithms it offers and where its authorization server lives. The information is public.

  @csc1_11_1 @id_discovery_001
  Scenario: The service describes itself without authentication
    When the signing application asks the service for its information without authentication
    Then the service answers successfully
    And the information contains every required field

  @csc1_11_1 @id_discovery_002
  Scenario: The specification version matches the API version in use
    When the signing application asks the service for its information
    Then the specification version matches the API version in use

  @csc1_11_1 @id_discovery_003
  Scenario: Name, description and region have the documented format
    When the signing application asks the service for its information
    Then the name and the description are at most 255 characters long
    And the region is a two-letter country code

  @csc1_11_1 @csc1_8_1 @id_discovery_004
  Scenario: Only known authentication types are advertised
    When the signing application asks the service for its information
    Then every advertised authentication type is a known one
    And the service names its authorization server when it offers OAuth

  @csc1_11_1 @id_discovery_005
  Scenario: The logo is a small published image
    When the signing application asks the service for its information
    Then the logo can be downloaded as a PNG or JPEG image of at most 256 by 256 pixels

  @csc1_11_1 @id_discovery_006
  Scenario: An unsupported language still gets an answer in the service's own language
    When the signing application asks the service for its information in the language "xx-YY"
    Then the service answers successfully
    And the information is given in the service's own language

  @csc2_11_1 @v2_only @id_discovery_007
  Scenario: Advertised signature algorithms are well-formed object identifiers
    When the signing application asks the service for its information
    Then every advertised signature algorithm is a dotted numeric object identifier
    And the algorithm parameters, if given, line up with the algorithms
    And each algorithm's parameters belong to that algorithm

  @csc1_11 @id_discovery_008
  Scenario: Every advertised method exists
    When the signing application calls every method the service advertises
    Then none of them is answered as unknown or unimplemented

  @csc1_11 @csc1_10 @id_discovery_009
  Scenario: A method the service does not advertise is reported as missing
    When the signing application calls a method the service does not advertise
    Then the service reports the method as not found or not implemented

  @rfc8414_3 @csc2_8_4 @should @needs_oauth @id_discovery_010
  Scenario: The authorization server publishes its metadata
    When the signing application reads the authorization server metadata
    Then the metadata names the issuer and the authorization and token endpoints
    And the issuer matches the authorization server the service names

  @ps_live @needs_pinned_info @v2_only @id_discovery_011
  Scenario: The PrimeSign test host keeps its documented profile
    When the signing application asks the service for its information
    Then the information matches the values pinned for this target
